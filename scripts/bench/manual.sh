#!/usr/bin/env bash
# The hand-typed routine of seed 000 (/work/shared/seeds/000_*.txt), the baseline clusterctl is
# measured against: docker build and docker push per service, kind create cluster, kubectl apply per
# manifest, then wait until the pods run. Run inside the bed's environment (scripts/bed.sh env):
# stand-in kind, the bed registry ($BED_REGISTRY, $BED_REGISTRY_USER, $BED_REGISTRY_PASSWORD).
#
#   manual.sh cold|warm APP_DIR CLUSTER REPOSITORY_PREFIX
#
# cold: the first time (log in, build, push, create the cluster and the pull secret, apply, wait).
# warm: what one types again with nothing changed (build from the cache, push, apply, wait).
# APP_DIR holds <service>/Dockerfile and k8s/<service>.yaml whose images are PREFIX/<service>:0.1.
set -euo pipefail

mode="$1" app="$2" cluster="$3" prefix="$4"
services=(bff catalogue frontend)
cd "$app"

if [[ "$mode" == cold ]]; then
  docker login "$BED_REGISTRY" --username "$BED_REGISTRY_USER" --password-stdin <<<"$BED_REGISTRY_PASSWORD"
fi

for service in "${services[@]}"; do
  docker build -t "$prefix/$service:0.1" "$service/"
done
for service in "${services[@]}"; do
  docker push "$prefix/$service:0.1"
done

if [[ "$mode" == cold ]]; then
  kind create cluster --name "$cluster"
  # The registry is private: the pods pull with the credentials docker login stored.
  kubectl create secret generic regcred \
    --type=kubernetes.io/dockerconfigjson --from-file=.dockerconfigjson="$HOME/.docker/config.json"
fi

for service in "${services[@]}"; do
  kubectl apply -f "k8s/$service.yaml"
done
kubectl wait --for=condition=Available deployment --all --timeout=180s
