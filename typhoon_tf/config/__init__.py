"""typhoon_tf.config"""
