resource "random_password" "token" {
  lenght = 16
}
