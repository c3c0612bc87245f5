#!/usr/bin/env bash
# Teardown runbook for design 'minimal', derived by erdesign from examples/minimal.yaml.
# Dry run by default: every command is printed and nothing runs. Pass --execute to run them.
# Steps marked (carrier) or (colocation provider) are done by someone else: the script prints what
# they need and then waits at the gate until Azure shows their work is done.
# Assumption: no resource group named for gateway 'hub-ergw', circuit 'er-ams', VNet 'hub': using 'minimal-rg' (set resource_group in the design, or pass --resource-group)
# Assumption: circuit 'er-ams' has no region: using 'westeurope', the region of gateway 'hub-ergw' it connects to
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


step "1. Delete connection hub-ergw-to-er-ams (gateway hub-ergw to circuit er-ams) (you)"
run az network vpn-connection delete --resource-group minimal-rg --name hub-ergw-to-er-ams

step "2. Delete gateway hub-ergw (you)"
run az network vnet-gateway delete --resource-group minimal-rg --name hub-ergw

step "3. Delete public IP hub-ergw-pip (you)"
run az network public-ip delete --resource-group minimal-rg --name hub-ergw-pip

step "4. Delete AzurePrivatePeering of circuit er-ams (you)"
run az network express-route peering delete --resource-group minimal-rg --circuit-name er-ams --name AzurePrivatePeering

step "5. Ask Equinix to deprovision circuit er-ams (carrier (Equinix))"
capture SERVICE_KEY_ER_AMS az network express-route show --resource-group minimal-rg --name er-ams --query serviceKey --output tsv
tell "service key: ${SERVICE_KEY_ER_AMS}" \
     "provider: Equinix" \
     "peering location: Amsterdam"
wait_for serviceProviderProvisioningState NotProvisioned "$PROVIDER_TIMEOUT_MINUTES" az network express-route show --resource-group minimal-rg --name er-ams --query serviceProviderProvisioningState --output tsv

step "6. Delete circuit er-ams (you)"
run az network express-route delete --resource-group minimal-rg --name er-ams

step "7. Delete VNet hub (you)"
run az network vnet delete --resource-group minimal-rg --name hub

step "8. Check that resource group minimal-rg is empty (you)"
run az resource list --resource-group minimal-rg --output table
wait_for 'resources left in the group' 0 "$EMPTY_GROUP_TIMEOUT_MINUTES" az resource list --resource-group minimal-rg --query 'length(@)' --output tsv

step "9. Delete resource group minimal-rg (you)"
run az group delete --name minimal-rg --yes

echo "Teardown runbook finished (9 steps)."
