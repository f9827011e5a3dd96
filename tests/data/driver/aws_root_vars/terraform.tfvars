ssh_key = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCexample ops@example"
zone_id = "ZFROMTFVARS"
