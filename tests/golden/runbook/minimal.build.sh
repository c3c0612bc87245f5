#!/usr/bin/env bash
# Build runbook for design 'minimal', derived by erdesign from examples/minimal.yaml.
# Dry run by default: every command is printed and nothing runs. Pass --execute to run them.
# Steps marked (carrier) or (colocation provider) are done by someone else: the script prints what
# they need and then waits at the gate until Azure shows their work is done.
# Assumption: no resource group named for circuit 'er-ams', VNet 'hub', gateway 'hub-ergw': using 'minimal-rg' (set resource_group in the design, or pass --resource-group)
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


step "1. Create resource group minimal-rg (you)"
run az group create --name minimal-rg --location westeurope

step "2. Create VNet hub and its subnets (you)"
run az network vnet create --resource-group minimal-rg --name hub --location westeurope --address-prefixes 10.10.0.0/16
run az network vnet subnet create --resource-group minimal-rg --vnet-name hub --name GatewaySubnet --address-prefixes 10.10.255.0/27

step "3. Create circuit er-ams (you)"
run az network express-route create --resource-group minimal-rg --name er-ams --location westeurope --bandwidth 200 --provider Equinix --peering-location Amsterdam --sku-tier Standard --sku-family MeteredData
tell "Billing starts when the service key is issued: create the circuit when the carrier is ready to provision it."

step "4. Give the service key of er-ams to Equinix; they provision the circuit (carrier (Equinix))"
capture SERVICE_KEY_ER_AMS az network express-route show --resource-group minimal-rg --name er-ams --query serviceKey --output tsv
tell "service key: ${SERVICE_KEY_ER_AMS}" \
     "provider: Equinix" \
     "peering location: Amsterdam" \
     "bandwidth: 200Mbps" \
     "VLAN ID (C-tag) AzurePrivatePeering: 100"
wait_for serviceProviderProvisioningState Provisioned "$PROVIDER_TIMEOUT_MINUTES" az network express-route show --resource-group minimal-rg --name er-ams --query serviceProviderProvisioningState --output tsv

step "5. Configure AzurePrivatePeering on circuit er-ams (you)"
run az network express-route peering create --resource-group minimal-rg --circuit-name er-ams --peering-type AzurePrivatePeering --peer-asn 64600 --primary-peer-subnet 172.16.0.0/30 --secondary-peer-subnet 172.16.0.4/30 --vlan-id 100

step "6. Configure the on-premises routers for circuit er-ams (you (on-premises routers))"
run az network express-route list-arp-tables --resource-group minimal-rg --name er-ams --peering-name AzurePrivatePeering --path primary
run az network express-route list-arp-tables --resource-group minimal-rg --name er-ams --peering-name AzurePrivatePeering --path secondary
tell "AzurePrivatePeering primary: VLAN 100, your address 172.16.0.1, BGP neighbor 172.16.0.2 AS 12076" \
     "AzurePrivatePeering secondary: VLAN 100, your address 172.16.0.5, BGP neighbor 172.16.0.6 AS 12076"
tell "The commands only check the result: each ARP table should list an On-Prem and a Microsoft entry (\`erdesign lint\` reads their JSON next to the design)."
wait_for 'On-Prem ARP entries on the primary link of AzurePrivatePeering' 1 "$ROUTERS_TIMEOUT_MINUTES" az network express-route list-arp-tables --resource-group minimal-rg --name er-ams --peering-name AzurePrivatePeering --path primary --query 'length(value[?interface=='"'"'On-Prem'"'"'])' --output tsv

step "7. Create public IP hub-ergw-pip (you)"
run az network public-ip create --resource-group minimal-rg --name hub-ergw-pip --location westeurope --sku Standard --allocation-method Static --zone 1 2 3

step "8. Create ExpressRoute gateway hub-ergw in VNet hub (you)"
run az network vnet-gateway create --resource-group minimal-rg --name hub-ergw --location westeurope --vnet hub --gateway-type ExpressRoute --sku ErGw1AZ --public-ip-addresses hub-ergw-pip --no-wait
tell "The gateway does not depend on the circuit: you may start it while the carrier provisions."
wait_for 'gateway provisioningState' Succeeded "$GATEWAY_TIMEOUT_MINUTES" az network vnet-gateway show --resource-group minimal-rg --name hub-ergw --query provisioningState --output tsv

step "9. Connect gateway hub-ergw to circuit er-ams (you)"
run az network vpn-connection create --resource-group minimal-rg --name hub-ergw-to-er-ams --vnet-gateway1 hub-ergw --express-route-circuit2 er-ams

echo "Build runbook finished (9 steps)."
