from typhoon_tf.cli import run

run()
