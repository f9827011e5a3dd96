"""typhoon_tf.hcl"""
