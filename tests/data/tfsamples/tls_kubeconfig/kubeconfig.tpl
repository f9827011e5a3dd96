apiVersion: v1
kind: Config
clusters:
- name: ${name}
  cluster:
    server: ${server}
    certificate-authority-data: ${ca_cert}
users:
- name: ${name}-admin
  user:
    client-certificate-data: ${client_cert}
    client-key-data: ${client_key}
    token: ${token}
current-context: ${context_name}
contexts:
- name: ${context_name}
  context:
    cluster: ${name}
    user: ${name}-admin
