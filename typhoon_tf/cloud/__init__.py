"""typhoon_tf.cloud"""
