#!/usr/bin/env bash
# Teardown runbook for design 'seed-useast-cust1', derived by erdesign from examples/seed.yaml.
# Dry run by default: every command is printed and nothing runs. Pass --execute to run them.
# Steps marked (carrier) or (colocation provider) are done by someone else: the script prints what
# they need and then waits at the gate until Azure shows their work is done.
set -euo pipefail

EXECUTE=0
for arg in "$@"; do
  case "$arg" in
    --execute) EXECUTE=1 ;;
    -h|--help) echo "usage: $0 [--execute]   (without --execute the commands are only printed)"; exit 0 ;;
    *) echo "unknown argument: $arg (pass --execute to run the commands)" >&2; exit 2 ;;
  esac
done

# Minutes to wait at each kind of gate and seconds between polls: defaults of ours, not Microsoft
# figures (Microsoft documents no upper bound); override them from the environment.
EMPTY_GROUP_TIMEOUT_MINUTES="${EMPTY_GROUP_TIMEOUT_MINUTES:-10}"
PROVIDER_TIMEOUT_MINUTES="${PROVIDER_TIMEOUT_MINUTES:-10080}"
POLL_SECONDS="${POLL_SECONDS:-60}"

run() {
  if [ "$EXECUTE" -eq 1 ]; then
    "$@"
  else
    printf '+'; printf ' %q' "$@"; printf '\n'
  fi
}

capture() {  # capture VAR COMMAND...: put the command's output in VAR
  local var=$1
  shift
  if [ "$EXECUTE" -eq 1 ]; then
    printf -v "$var" '%s' "$("$@")"
  else
    printf '+ %s=\x24(' "$var"; printf ' %q' "$@"; printf ' )\n'
    printf -v "$var" '<%s>' "$var"
  fi
}

wait_for() {  # wait_for WHAT EXPECTED TIMEOUT_MINUTES COMMAND...
  local what=$1 expected=$2 minutes=$3
  shift 3
  if [ "$EXECUTE" -ne 1 ]; then
    printf '+ wait until %s is %s (up to %s min):' "$what" "$expected" "$minutes"; printf ' %q' "$@"; printf '\n'
    return 0
  fi
  local deadline value
  deadline=$(( $(date +%s) + minutes * 60 ))
  while true; do
    value=$("$@" 2>/dev/null || true)
    if [ "$value" = "$expected" ]; then
      echo "$what is $value"
      return 0
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "gave up after $minutes min: $what is '${value:-?}', expected '$expected'" >&2
      return 1
    fi
    echo "waiting: $what is '${value:-?}', expected '$expected'"
    sleep "$POLL_SECONDS"
  done
}

step() { printf '\n== %s\n' "$*"; }

tell() { printf '   %s\n' "$@"; }


step "1. Delete VNet peering erspvnetcust1-Peer-cust1vnet1 (erspvnetcust1 -> vnet1) (you)"
run az network vnet peering delete --resource-group useastercust1rg --vnet-name erspvnetcust1 --name erspvnetcust1-Peer-cust1vnet1 --subscription provider-sub

step "2. Delete VNet peering cust1vnet1-Peer-erspvnetcust1 (vnet1 -> erspvnetcust1) (you)"
run az network vnet peering delete --resource-group cust1rg1 --vnet-name vnet1 --name cust1vnet1-Peer-erspvnetcust1 --subscription cust1-sub

step "3. Delete connection useasterc1cust1-cxn (gateway erspvnetcust1gw1 to circuit useasterc1cust1) (you)"
run az network vpn-connection delete --resource-group useastercust1rg --name useasterc1cust1-cxn --subscription provider-sub

step "4. Delete gateway erspvnetcust1gw1 (you)"
run az network vnet-gateway delete --resource-group useastercust1rg --name erspvnetcust1gw1 --subscription provider-sub

step "5. Delete AzurePrivatePeering of circuit useasterc1cust1 (you)"
run az network express-route peering delete --resource-group useastercust1rg --circuit-name useasterc1cust1 --name AzurePrivatePeering --subscription provider-sub

step "6. Ask Equinix to deprovision circuit useasterc1cust1 (carrier (Equinix))"
capture SERVICE_KEY_USEASTERC1CUST1 az network express-route show --resource-group useastercust1rg --name useasterc1cust1 --query serviceKey --output tsv --subscription provider-sub
tell "service key: ${SERVICE_KEY_USEASTERC1CUST1}" \
     "provider: Equinix" \
     "peering location: Washington DC" \
     "virtual circuit vc-cust1-primary: cancel (S-tag 29)" \
     "virtual circuit vc-cust1-secondary: cancel (S-tag 29)"
wait_for serviceProviderProvisioningState NotProvisioned "$PROVIDER_TIMEOUT_MINUTES" az network express-route show --resource-group useastercust1rg --name useasterc1cust1 --query serviceProviderProvisioningState --output tsv --subscription provider-sub

step "7. Delete circuit useasterc1cust1 (you)"
run az network express-route delete --resource-group useastercust1rg --name useasterc1cust1 --subscription provider-sub

step "8. Delete VNet erspvnetcust1 (you)"
run az network vnet delete --resource-group useastercust1rg --name erspvnetcust1 --subscription provider-sub

step "9. Delete VNet vnet1 (you)"
run az network vnet delete --resource-group cust1rg1 --name vnet1 --subscription cust1-sub

step "10. Check that resource group useastercust1rg is empty (you)"
run az resource list --resource-group useastercust1rg --output table --subscription provider-sub
wait_for 'resources left in the group' 0 "$EMPTY_GROUP_TIMEOUT_MINUTES" az resource list --resource-group useastercust1rg --query 'length(@)' --output tsv --subscription provider-sub

step "11. Delete resource group useastercust1rg (you)"
run az group delete --name useastercust1rg --yes --subscription provider-sub

step "12. Check that resource group cust1rg1 is empty (you)"
run az resource list --resource-group cust1rg1 --output table --subscription cust1-sub
wait_for 'resources left in the group' 0 "$EMPTY_GROUP_TIMEOUT_MINUTES" az resource list --resource-group cust1rg1 --query 'length(@)' --output tsv --subscription cust1-sub

step "13. Delete resource group cust1rg1 (you)"
run az group delete --name cust1rg1 --yes --subscription cust1-sub

echo "Teardown runbook finished (13 steps)."
