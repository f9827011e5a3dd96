module "broken" {
  source = "../modules/broken"
}
