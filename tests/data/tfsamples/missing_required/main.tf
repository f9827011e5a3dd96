resource "tls_private_key" "ca" {
  rsa_bits = 2048
}
