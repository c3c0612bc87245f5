#!/usr/bin/env bash
# Build runbook for design 'seed-useast-cust1', derived by erdesign from examples/seed.yaml.
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
GATEWAY_TIMEOUT_MINUTES="${GATEWAY_TIMEOUT_MINUTES:-180}"
PROVIDER_TIMEOUT_MINUTES="${PROVIDER_TIMEOUT_MINUTES:-10080}"
ROUTERS_TIMEOUT_MINUTES="${ROUTERS_TIMEOUT_MINUTES:-1440}"
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


step "1. Create resource group useastercust1rg (you)"
run az group create --name useastercust1rg --location eastus --subscription provider-sub

step "2. Create resource group cust1rg1 (you)"
run az group create --name cust1rg1 --location eastus --subscription cust1-sub

step "3. Create VNet erspvnetcust1 and its subnets (you)"
run az network vnet create --resource-group useastercust1rg --name erspvnetcust1 --location eastus --address-prefixes 10.0.4.0/24 --subscription provider-sub
run az network vnet subnet create --resource-group useastercust1rg --vnet-name erspvnetcust1 --name GatewaySubnet --address-prefixes 10.0.4.0/27 --subscription provider-sub

step "4. Create VNet vnet1 and its subnets (you)"
run az network vnet create --resource-group cust1rg1 --name vnet1 --location eastus --address-prefixes 10.0.100.32/27 --subscription cust1-sub
run az network vnet subnet create --resource-group cust1rg1 --vnet-name vnet1 --name workload --address-prefixes 10.0.100.32/28 --subscription cust1-sub

step "5. Create circuit useasterc1cust1 (you)"
run az network express-route create --resource-group useastercust1rg --name useasterc1cust1 --location eastus --bandwidth 1000 --provider Equinix --peering-location 'Washington DC' --sku-tier Standard --sku-family UnlimitedData --tags environment=Production service=Network --subscription provider-sub
tell "Billing starts when the service key is issued: create the circuit when the carrier is ready to provision it."

step "6. Give the service key of useasterc1cust1 to Equinix; they provision the circuit (carrier (Equinix))"
capture SERVICE_KEY_USEASTERC1CUST1 az network express-route show --resource-group useastercust1rg --name useasterc1cust1 --query serviceKey --output tsv --subscription provider-sub
tell "service key: ${SERVICE_KEY_USEASTERC1CUST1}" \
     "provider: Equinix" \
     "peering location: Washington DC" \
     "bandwidth: 1Gbps" \
     "virtual circuit vc-cust1-primary: primary, 1Gbps, S-tag 29" \
     "virtual circuit vc-cust1-secondary: secondary, 1Gbps, S-tag 29" \
     "Azure S-tag (stag): 29" \
     "VLAN ID (C-tag) AzurePrivatePeering: 28"
wait_for serviceProviderProvisioningState Provisioned "$PROVIDER_TIMEOUT_MINUTES" az network express-route show --resource-group useastercust1rg --name useasterc1cust1 --query serviceProviderProvisioningState --output tsv --subscription provider-sub

step "7. Configure AzurePrivatePeering on circuit useasterc1cust1 (you)"
run az network express-route peering create --resource-group useastercust1rg --circuit-name useasterc1cust1 --peering-type AzurePrivatePeering --peer-asn 65001 --primary-peer-subnet 192.0.2.96/30 --secondary-peer-subnet 192.0.2.100/30 --vlan-id 28 --subscription provider-sub

step "8. Configure the on-premises routers for circuit useasterc1cust1 (you (on-premises routers))"
run az network express-route list-arp-tables --resource-group useastercust1rg --name useasterc1cust1 --peering-name AzurePrivatePeering --path primary --subscription provider-sub
run az network express-route list-arp-tables --resource-group useastercust1rg --name useasterc1cust1 --peering-name AzurePrivatePeering --path secondary --subscription provider-sub
tell "AzurePrivatePeering primary (rtr1 Te0/0/0.28): VLAN 28, your address 192.0.2.97, BGP neighbor 192.0.2.98 AS 12076" \
     "AzurePrivatePeering secondary (rtr2 Te0/0/0.28): VLAN 28, your address 192.0.2.101, BGP neighbor 192.0.2.102 AS 12076"
tell "The commands only check the result: each ARP table should list an On-Prem and a Microsoft entry (\`erdesign lint\` reads their JSON next to the design)."
wait_for 'On-Prem ARP entries on the primary link of AzurePrivatePeering' 1 "$ROUTERS_TIMEOUT_MINUTES" az network express-route list-arp-tables --resource-group useastercust1rg --name useasterc1cust1 --peering-name AzurePrivatePeering --path primary --query 'length(value[?interface=='"'"'On-Prem'"'"'])' --output tsv --subscription provider-sub

step "9. Create ExpressRoute gateway erspvnetcust1gw1 in VNet erspvnetcust1 (you)"
run az network vnet-gateway create --resource-group useastercust1rg --name erspvnetcust1gw1 --location eastus --vnet erspvnetcust1 --gateway-type ExpressRoute --sku Standard --no-wait --subscription provider-sub
tell "The gateway does not depend on the circuit: you may start it while the carrier provisions."
wait_for 'gateway provisioningState' Succeeded "$GATEWAY_TIMEOUT_MINUTES" az network vnet-gateway show --resource-group useastercust1rg --name erspvnetcust1gw1 --query provisioningState --output tsv --subscription provider-sub

step "10. Connect gateway erspvnetcust1gw1 to circuit useasterc1cust1 (you)"
run az network vpn-connection create --resource-group useastercust1rg --name useasterc1cust1-cxn --vnet-gateway1 erspvnetcust1gw1 --express-route-circuit2 useasterc1cust1 --subscription provider-sub

step "11. Peer VNet erspvnetcust1 to vnet1 with gateway transit (you)"
run az network vnet peering create --resource-group useastercust1rg --name erspvnetcust1-Peer-cust1vnet1 --vnet-name erspvnetcust1 --remote-vnet /subscriptions/cust1-sub/resourceGroups/cust1rg1/providers/Microsoft.Network/virtualNetworks/vnet1 --allow-vnet-access true --allow-forwarded-traffic true --allow-gateway-transit true --use-remote-gateways false --subscription provider-sub

step "12. Peer VNet vnet1 to erspvnetcust1 using its gateway (you)"
run az network vnet peering create --resource-group cust1rg1 --name cust1vnet1-Peer-erspvnetcust1 --vnet-name vnet1 --remote-vnet /subscriptions/provider-sub/resourceGroups/useastercust1rg/providers/Microsoft.Network/virtualNetworks/erspvnetcust1 --allow-vnet-access true --allow-forwarded-traffic true --allow-gateway-transit false --use-remote-gateways true --subscription cust1-sub

echo "Build runbook finished (12 steps)."
