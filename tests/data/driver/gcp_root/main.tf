provider "google" {
  project = "typhoon-prod"
  region  = "us-central1"
}

module "yavin" {
  source = "./modules/google-cloud/fedora-coreos/kubernetes"

  cluster_name       = "yavin"
  dns_zone           = "google-cloud.example.com"
  dns_zone_name      = "example-zone"
  ssh_authorized_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHR5cGhvb24tdGYgZXhhbXBsZSBrZXkgb25seSEhISEh core@example"
}
