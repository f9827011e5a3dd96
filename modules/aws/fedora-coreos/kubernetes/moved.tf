# Typhoon (poseidon/typhoon) declares one resource per security group rule; this module keeps
# the rules in two tables (security.tf). These blocks carry a Typhoon cluster's rules over
# unchanged when its `source` switches here. Typhoon creates the `[0]` instances only for
# `networking = "cilium"`; blocks whose source address a state lacks do nothing.

moved {
  from = aws_security_group_rule.controller-icmp[0]
  to   = aws_security_group_rule.controller["icmp-echo-worker"]
}

moved {
  from = aws_security_group_rule.controller-icmp-self[0]
  to   = aws_security_group_rule.controller["icmp-echo-self"]
}

moved {
  from = aws_security_group_rule.controller-ssh
  to   = aws_security_group_rule.controller["ssh"]
}

moved {
  from = aws_security_group_rule.controller-etcd
  to   = aws_security_group_rule.controller["etcd"]
}

moved {
  from = aws_security_group_rule.controller-etcd-metrics
  to   = aws_security_group_rule.controller["etcd-metrics"]
}

moved {
  from = aws_security_group_rule.controller-cilium-health[0]
  to   = aws_security_group_rule.controller["cilium-health-worker"]
}

moved {
  from = aws_security_group_rule.controller-cilium-health-self[0]
  to   = aws_security_group_rule.controller["cilium-health-self"]
}

moved {
  from = aws_security_group_rule.controller-cilium-metrics[0]
  to   = aws_security_group_rule.controller["cilium-metrics-worker"]
}

moved {
  from = aws_security_group_rule.controller-cilium-metrics-self[0]
  to   = aws_security_group_rule.controller["cilium-metrics-self"]
}

moved {
  from = aws_security_group_rule.controller-apiserver
  to   = aws_security_group_rule.controller["apiserver"]
}

moved {
  from = aws_security_group_rule.controller-vxlan
  to   = aws_security_group_rule.controller["vxlan-worker"]
}

moved {
  from = aws_security_group_rule.controller-vxlan-self
  to   = aws_security_group_rule.controller["vxlan-self"]
}

moved {
  from = aws_security_group_rule.controller-node-exporter
  to   = aws_security_group_rule.controller["node-exporter"]
}

moved {
  from = aws_security_group_rule.kube-proxy-metrics
  to   = aws_security_group_rule.controller["kube-proxy"]
}

moved {
  from = aws_security_group_rule.controller-kubelet
  to   = aws_security_group_rule.controller["kubelet-worker"]
}

moved {
  from = aws_security_group_rule.controller-kubelet-self
  to   = aws_security_group_rule.controller["kubelet-self"]
}

moved {
  from = aws_security_group_rule.controller-scheduler-metrics
  to   = aws_security_group_rule.controller["kube-scheduler"]
}

moved {
  from = aws_security_group_rule.controller-manager-metrics
  to   = aws_security_group_rule.controller["controller-mgr"]
}

moved {
  from = aws_security_group_rule.worker-icmp[0]
  to   = aws_security_group_rule.worker["icmp-echo-controller"]
}

moved {
  from = aws_security_group_rule.worker-icmp-self[0]
  to   = aws_security_group_rule.worker["icmp-echo-self"]
}

moved {
  from = aws_security_group_rule.worker-ssh
  to   = aws_security_group_rule.worker["ssh"]
}

moved {
  from = aws_security_group_rule.worker-http
  to   = aws_security_group_rule.worker["http"]
}

moved {
  from = aws_security_group_rule.worker-https
  to   = aws_security_group_rule.worker["https"]
}

moved {
  from = aws_security_group_rule.worker-cilium-health[0]
  to   = aws_security_group_rule.worker["cilium-health-controller"]
}

moved {
  from = aws_security_group_rule.worker-cilium-health-self[0]
  to   = aws_security_group_rule.worker["cilium-health-self"]
}

moved {
  from = aws_security_group_rule.worker-cilium-metrics[0]
  to   = aws_security_group_rule.worker["cilium-metrics-controller"]
}

moved {
  from = aws_security_group_rule.worker-cilium-metrics-self[0]
  to   = aws_security_group_rule.worker["cilium-metrics-self"]
}

moved {
  from = aws_security_group_rule.worker-vxlan
  to   = aws_security_group_rule.worker["vxlan-controller"]
}

moved {
  from = aws_security_group_rule.worker-vxlan-self
  to   = aws_security_group_rule.worker["vxlan-self"]
}

moved {
  from = aws_security_group_rule.worker-node-exporter
  to   = aws_security_group_rule.worker["node-exporter"]
}

moved {
  from = aws_security_group_rule.worker-kube-proxy
  to   = aws_security_group_rule.worker["kube-proxy"]
}

moved {
  from = aws_security_group_rule.worker-kubelet
  to   = aws_security_group_rule.worker["kubelet-controller"]
}

moved {
  from = aws_security_group_rule.worker-kubelet-self
  to   = aws_security_group_rule.worker["kubelet-self"]
}

moved {
  from = aws_security_group_rule.ingress-health
  to   = aws_security_group_rule.worker["ingress-health"]
}
