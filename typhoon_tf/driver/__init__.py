"""typhoon_tf.driver"""
