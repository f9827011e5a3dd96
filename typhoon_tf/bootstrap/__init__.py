"""typhoon_tf.bootstrap"""
