"""typhoon_tf.ignition"""
