"""typhoon_tf.generate"""
