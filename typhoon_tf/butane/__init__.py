"""typhoon_tf.butane"""
