#!/usr/bin/env bash
# Teardown runbook for design 'multi-region', derived by erdesign from examples/multi-region.yaml.
# Dry run by default: every command is printed and nothing runs. Pass --execute to run them.
# Steps marked (carrier) or (colocation provider) are done by someone else: the script prints what
# they need and then waits at the gate until Azure shows their work is done.
# Assumption: no resource group named for VNet 'hub-eus', VNet 'cust1-eus', VNet 'cust2-eus', VNet 'hub-weu', VNet 'cust3-weu', gateway 'hub-eus-ergw', gateway 'hub-weu-ergw', circuit 'er-nyc-1', circuit 'er-wdc-1', circuit 'er-fra-1', circuit 'er-ams-1': using 'multi-region-rg' (set resource_group in the design, or pass --resource-group)
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


step "1. Delete VNet peering hub-eus-to-cust1 (hub-eus -> cust1-eus) (you)"
run az network vnet peering delete --resource-group multi-region-rg --vnet-name hub-eus --name hub-eus-to-cust1 --subscription provider-sub

step "2. Delete VNet peering cust1-to-hub-eus (cust1-eus -> hub-eus) (you)"
run az network vnet peering delete --resource-group multi-region-rg --vnet-name cust1-eus --name cust1-to-hub-eus --subscription cust1-sub

step "3. Delete VNet peering hub-eus-to-cust2 (hub-eus -> cust2-eus) (you)"
run az network vnet peering delete --resource-group multi-region-rg --vnet-name hub-eus --name hub-eus-to-cust2 --subscription provider-sub

step "4. Delete VNet peering cust2-to-hub-eus (cust2-eus -> hub-eus) (you)"
run az network vnet peering delete --resource-group multi-region-rg --vnet-name cust2-eus --name cust2-to-hub-eus --subscription cust2-sub

step "5. Delete VNet peering hub-weu-to-cust3 (hub-weu -> cust3-weu) (you)"
run az network vnet peering delete --resource-group multi-region-rg --vnet-name hub-weu --name hub-weu-to-cust3 --subscription provider-sub

step "6. Delete VNet peering cust3-to-hub-weu (cust3-weu -> hub-weu) (you)"
run az network vnet peering delete --resource-group multi-region-rg --vnet-name cust3-weu --name cust3-to-hub-weu --subscription cust3-sub

step "7. Delete connection hub-eus-wdc (gateway hub-eus-ergw to circuit er-wdc-1) (you)"
run az network vpn-connection delete --resource-group multi-region-rg --name hub-eus-wdc --subscription provider-sub

step "8. Delete connection hub-eus-nyc (gateway hub-eus-ergw to circuit er-nyc-1) (you)"
run az network vpn-connection delete --resource-group multi-region-rg --name hub-eus-nyc --subscription provider-sub

step "9. Delete connection hub-weu-fra (gateway hub-weu-ergw to circuit er-fra-1) (you)"
run az network vpn-connection delete --resource-group multi-region-rg --name hub-weu-fra --subscription provider-sub

step "10. Delete connection hub-weu-ams (gateway hub-weu-ergw to circuit er-ams-1) (you)"
run az network vpn-connection delete --resource-group multi-region-rg --name hub-weu-ams --subscription provider-sub

step "11. Remove Global Reach between er-nyc-1 and er-fra-1 (you)"
run az network express-route peering connection delete --resource-group multi-region-rg --circuit-name er-nyc-1 --peering-name AzurePrivatePeering --name gr-nyc-fra

step "12. Delete gateway hub-eus-ergw (you)"
run az network vnet-gateway delete --resource-group multi-region-rg --name hub-eus-ergw --subscription provider-sub

step "13. Delete gateway hub-weu-ergw (you)"
run az network vnet-gateway delete --resource-group multi-region-rg --name hub-weu-ergw --subscription provider-sub

step "14. Delete public IP hub-eus-ergw-pip (you)"
run az network public-ip delete --resource-group multi-region-rg --name hub-eus-ergw-pip --subscription provider-sub

step "15. Delete public IP hub-weu-ergw-pip (you)"
run az network public-ip delete --resource-group multi-region-rg --name hub-weu-ergw-pip --subscription provider-sub

step "16. Delete AzurePrivatePeering of circuit er-wdc-1 (you)"
run az network express-route peering delete --resource-group multi-region-rg --circuit-name er-wdc-1 --name AzurePrivatePeering

step "17. Delete AzurePrivatePeering of circuit er-nyc-1 (you)"
run az network express-route peering delete --resource-group multi-region-rg --circuit-name er-nyc-1 --name AzurePrivatePeering

step "18. Delete AzurePrivatePeering of circuit er-fra-1 (you)"
run az network express-route peering delete --resource-group multi-region-rg --circuit-name er-fra-1 --name AzurePrivatePeering

step "19. Delete AzurePrivatePeering of circuit er-ams-1 (you)"
run az network express-route peering delete --resource-group multi-region-rg --circuit-name er-ams-1 --name AzurePrivatePeering

step "20. Ask Equinix to deprovision circuit er-wdc-1 (carrier (Equinix))"
capture SERVICE_KEY_ER_WDC_1 az network express-route show --resource-group multi-region-rg --name er-wdc-1 --query serviceKey --output tsv
tell "service key: ${SERVICE_KEY_ER_WDC_1}" \
     "provider: Equinix" \
     "peering location: Washington DC" \
     "virtual circuit eqx-wdc-pri: cancel (S-tag 1100)" \
     "virtual circuit eqx-wdc-sec: cancel (S-tag 1100)"
wait_for serviceProviderProvisioningState NotProvisioned "$PROVIDER_TIMEOUT_MINUTES" az network express-route show --resource-group multi-region-rg --name er-wdc-1 --query serviceProviderProvisioningState --output tsv

step "21. Ask Equinix to deprovision circuit er-nyc-1 (carrier (Equinix))"
capture SERVICE_KEY_ER_NYC_1 az network express-route show --resource-group multi-region-rg --name er-nyc-1 --query serviceKey --output tsv
tell "service key: ${SERVICE_KEY_ER_NYC_1}" \
     "provider: Equinix" \
     "peering location: New York" \
     "virtual circuit eqx-nyc-pri: cancel (S-tag 1101)" \
     "virtual circuit eqx-nyc-sec: cancel (S-tag 1101)"
wait_for serviceProviderProvisioningState NotProvisioned "$PROVIDER_TIMEOUT_MINUTES" az network express-route show --resource-group multi-region-rg --name er-nyc-1 --query serviceProviderProvisioningState --output tsv

step "22. Ask Megaport to deprovision circuit er-fra-1 (carrier (Megaport))"
capture SERVICE_KEY_ER_FRA_1 az network express-route show --resource-group multi-region-rg --name er-fra-1 --query serviceKey --output tsv
tell "service key: ${SERVICE_KEY_ER_FRA_1}" \
     "provider: Megaport" \
     "peering location: Frankfurt" \
     "virtual circuit mp-fra-pri: cancel (S-tag 2200)" \
     "virtual circuit mp-fra-sec: cancel (S-tag 2200)"
wait_for serviceProviderProvisioningState NotProvisioned "$PROVIDER_TIMEOUT_MINUTES" az network express-route show --resource-group multi-region-rg --name er-fra-1 --query serviceProviderProvisioningState --output tsv

step "23. Ask Megaport to deprovision circuit er-ams-1 (carrier (Megaport))"
capture SERVICE_KEY_ER_AMS_1 az network express-route show --resource-group multi-region-rg --name er-ams-1 --query serviceKey --output tsv
tell "service key: ${SERVICE_KEY_ER_AMS_1}" \
     "provider: Megaport" \
     "peering location: Amsterdam" \
     "virtual circuit mp-ams-pri: cancel (S-tag 2201)" \
     "virtual circuit mp-ams-sec: cancel (S-tag 2201)"
wait_for serviceProviderProvisioningState NotProvisioned "$PROVIDER_TIMEOUT_MINUTES" az network express-route show --resource-group multi-region-rg --name er-ams-1 --query serviceProviderProvisioningState --output tsv

step "24. Delete circuit er-wdc-1 (you)"
run az network express-route delete --resource-group multi-region-rg --name er-wdc-1

step "25. Delete circuit er-nyc-1 (you)"
run az network express-route delete --resource-group multi-region-rg --name er-nyc-1

step "26. Delete circuit er-fra-1 (you)"
run az network express-route delete --resource-group multi-region-rg --name er-fra-1

step "27. Delete circuit er-ams-1 (you)"
run az network express-route delete --resource-group multi-region-rg --name er-ams-1

step "28. Delete VNet hub-eus (you)"
run az network vnet delete --resource-group multi-region-rg --name hub-eus --subscription provider-sub

step "29. Delete VNet hub-weu (you)"
run az network vnet delete --resource-group multi-region-rg --name hub-weu --subscription provider-sub

step "30. Delete VNet cust1-eus (you)"
run az network vnet delete --resource-group multi-region-rg --name cust1-eus --subscription cust1-sub

step "31. Delete VNet cust2-eus (you)"
run az network vnet delete --resource-group multi-region-rg --name cust2-eus --subscription cust2-sub

step "32. Delete VNet cust3-weu (you)"
run az network vnet delete --resource-group multi-region-rg --name cust3-weu --subscription cust3-sub

step "33. Check that resource group multi-region-rg is empty (you)"
run az resource list --resource-group multi-region-rg --output table
wait_for 'resources left in the group' 0 "$EMPTY_GROUP_TIMEOUT_MINUTES" az resource list --resource-group multi-region-rg --query 'length(@)' --output tsv

step "34. Delete resource group multi-region-rg (you)"
run az group delete --name multi-region-rg --yes

echo "Teardown runbook finished (34 steps)."
