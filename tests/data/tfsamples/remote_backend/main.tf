terraform {
  backend "s3" {
    bucket = "tempest-state"
    key    = "cluster.tfstate"
    region = "us-east-1"
  }
}

output "cluster" {
  value = "tempest"
}
