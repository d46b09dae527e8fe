#!/bin/sh
# Nightly: one snapshot per cluster, each in its own directory under snapshots/ (a cluster of its
# own for kube-netlint: the directory's kube-netlint-snapshot.json marks it). Run where kubectl
# reaches every cluster; commit snapshots/ or copy it to the volume the Indexed Job mounts.
set -eu
for ctx in $(kubectl config get-contexts -o name); do
  npx --yes kube-netlint@0.1.0 collect --output "snapshots/$ctx" --context "$ctx" --namespace kube-flannel || echo "collect $ctx: exit $?" >&2
done
