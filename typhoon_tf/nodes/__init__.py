"""typhoon_tf.nodes"""
