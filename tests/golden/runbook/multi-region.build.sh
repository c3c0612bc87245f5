#!/usr/bin/env bash
# Build runbook for design 'multi-region', derived by erdesign from examples/multi-region.yaml.
# Dry run by default: every command is printed and nothing runs. Pass --execute to run them.
# Steps marked (carrier) or (colocation provider) are done by someone else: the script prints what
# they need and then waits at the gate until Azure shows their work is done.
# Assumption: no resource group named for circuit 'er-wdc-1', circuit 'er-nyc-1', circuit 'er-fra-1', circuit 'er-ams-1', VNet 'hub-eus', VNet 'hub-weu', VNet 'cust1-eus', VNet 'cust2-eus', VNet 'cust3-weu', gateway 'hub-eus-ergw', gateway 'hub-weu-ergw': using 'multi-region-rg' (set resource_group in the design, or pass --resource-group)
# Assumption: no subscription named for circuit 'er-wdc-1', circuit 'er-nyc-1', circuit 'er-fra-1', circuit 'er-ams-1': their IDs use ${SUBSCRIPTION_ID} (export it before running the script)
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

# Values from the environment (secrets are never written in the runbook).
SUBSCRIPTION_ID="${SUBSCRIPTION_ID:-}"
require_env() {
  local name
  for name in "$@"; do
    if [ -z "${!name}" ]; then echo "set $name before running with --execute" >&2; exit 2; fi
  done
}
if [ "$EXECUTE" -eq 1 ]; then
  require_env SUBSCRIPTION_ID
else
  SUBSCRIPTION_ID='<SUBSCRIPTION_ID>'
fi


step "1. Create resource group multi-region-rg (you)"
run az group create --name multi-region-rg --location eastus

step "2. Create VNet hub-eus and its subnets (you)"
run az network vnet create --resource-group multi-region-rg --name hub-eus --location eastus --address-prefixes 10.1.0.0/16 --subscription provider-sub
run az network vnet subnet create --resource-group multi-region-rg --vnet-name hub-eus --name GatewaySubnet --address-prefixes 10.1.255.0/26 --subscription provider-sub

step "3. Create VNet hub-weu and its subnets (you)"
run az network vnet create --resource-group multi-region-rg --name hub-weu --location westeurope --address-prefixes 10.2.0.0/16 --subscription provider-sub
run az network vnet subnet create --resource-group multi-region-rg --vnet-name hub-weu --name GatewaySubnet --address-prefixes 10.2.255.0/26 --subscription provider-sub

step "4. Create VNet cust1-eus and its subnets (you)"
run az network vnet create --resource-group multi-region-rg --name cust1-eus --location eastus --address-prefixes 10.101.0.0/24 --subscription cust1-sub
run az network vnet subnet create --resource-group multi-region-rg --vnet-name cust1-eus --name app --address-prefixes 10.101.0.0/25 --subscription cust1-sub

step "5. Create VNet cust2-eus and its subnets (you)"
run az network vnet create --resource-group multi-region-rg --name cust2-eus --location eastus --address-prefixes 10.102.0.0/24 --subscription cust2-sub
run az network vnet subnet create --resource-group multi-region-rg --vnet-name cust2-eus --name app --address-prefixes 10.102.0.0/25 --subscription cust2-sub

step "6. Create VNet cust3-weu and its subnets (you)"
run az network vnet create --resource-group multi-region-rg --name cust3-weu --location westeurope --address-prefixes 10.103.0.0/24 --subscription cust3-sub
run az network vnet subnet create --resource-group multi-region-rg --vnet-name cust3-weu --name app --address-prefixes 10.103.0.0/25 --subscription cust3-sub

step "7. Create circuit er-wdc-1 (you)"
run az network express-route create --resource-group multi-region-rg --name er-wdc-1 --location eastus --bandwidth 1000 --provider Equinix --peering-location 'Washington DC' --sku-tier Standard --sku-family UnlimitedData
tell "Billing starts when the service key is issued: create the circuit when the carrier is ready to provision it."

step "8. Create circuit er-nyc-1 (you)"
run az network express-route create --resource-group multi-region-rg --name er-nyc-1 --location eastus --bandwidth 1000 --provider Equinix --peering-location 'New York' --sku-tier Premium --sku-family UnlimitedData
tell "Billing starts when the service key is issued: create the circuit when the carrier is ready to provision it."

step "9. Create circuit er-fra-1 (you)"
run az network express-route create --resource-group multi-region-rg --name er-fra-1 --location germanywestcentral --bandwidth 500 --provider Megaport --peering-location Frankfurt --sku-tier Premium --sku-family MeteredData
tell "Billing starts when the service key is issued: create the circuit when the carrier is ready to provision it."

step "10. Create circuit er-ams-1 (you)"
run az network express-route create --resource-group multi-region-rg --name er-ams-1 --location westeurope --bandwidth 500 --provider Megaport --peering-location Amsterdam --sku-tier Standard --sku-family MeteredData
tell "Billing starts when the service key is issued: create the circuit when the carrier is ready to provision it."

step "11. Give the service key of er-wdc-1 to Equinix; they provision the circuit (carrier (Equinix))"
capture SERVICE_KEY_ER_WDC_1 az network express-route show --resource-group multi-region-rg --name er-wdc-1 --query serviceKey --output tsv
tell "service key: ${SERVICE_KEY_ER_WDC_1}" \
     "provider: Equinix" \
     "peering location: Washington DC" \
     "bandwidth: 1Gbps" \
     "virtual circuit eqx-wdc-pri: primary, 1Gbps, S-tag 1100" \
     "virtual circuit eqx-wdc-sec: secondary, 1Gbps, S-tag 1100" \
     "VLAN ID (C-tag) AzurePrivatePeering: 100"
wait_for serviceProviderProvisioningState Provisioned "$PROVIDER_TIMEOUT_MINUTES" az network express-route show --resource-group multi-region-rg --name er-wdc-1 --query serviceProviderProvisioningState --output tsv

step "12. Give the service key of er-nyc-1 to Equinix; they provision the circuit (carrier (Equinix))"
capture SERVICE_KEY_ER_NYC_1 az network express-route show --resource-group multi-region-rg --name er-nyc-1 --query serviceKey --output tsv
tell "service key: ${SERVICE_KEY_ER_NYC_1}" \
     "provider: Equinix" \
     "peering location: New York" \
     "bandwidth: 1Gbps" \
     "virtual circuit eqx-nyc-pri: primary, 1Gbps, S-tag 1101" \
     "virtual circuit eqx-nyc-sec: secondary, 1Gbps, S-tag 1101" \
     "VLAN ID (C-tag) AzurePrivatePeering: 101"
wait_for serviceProviderProvisioningState Provisioned "$PROVIDER_TIMEOUT_MINUTES" az network express-route show --resource-group multi-region-rg --name er-nyc-1 --query serviceProviderProvisioningState --output tsv

step "13. Give the service key of er-fra-1 to Megaport; they provision the circuit (carrier (Megaport))"
capture SERVICE_KEY_ER_FRA_1 az network express-route show --resource-group multi-region-rg --name er-fra-1 --query serviceKey --output tsv
tell "service key: ${SERVICE_KEY_ER_FRA_1}" \
     "provider: Megaport" \
     "peering location: Frankfurt" \
     "bandwidth: 500Mbps" \
     "virtual circuit mp-fra-pri: primary, 500Mbps, S-tag 2200" \
     "virtual circuit mp-fra-sec: secondary, 500Mbps, S-tag 2200" \
     "VLAN ID (C-tag) AzurePrivatePeering: 200"
wait_for serviceProviderProvisioningState Provisioned "$PROVIDER_TIMEOUT_MINUTES" az network express-route show --resource-group multi-region-rg --name er-fra-1 --query serviceProviderProvisioningState --output tsv

step "14. Give the service key of er-ams-1 to Megaport; they provision the circuit (carrier (Megaport))"
capture SERVICE_KEY_ER_AMS_1 az network express-route show --resource-group multi-region-rg --name er-ams-1 --query serviceKey --output tsv
tell "service key: ${SERVICE_KEY_ER_AMS_1}" \
     "provider: Megaport" \
     "peering location: Amsterdam" \
     "bandwidth: 500Mbps" \
     "virtual circuit mp-ams-pri: primary, 500Mbps, S-tag 2201" \
     "virtual circuit mp-ams-sec: secondary, 500Mbps, S-tag 2201" \
     "VLAN ID (C-tag) AzurePrivatePeering: 201"
wait_for serviceProviderProvisioningState Provisioned "$PROVIDER_TIMEOUT_MINUTES" az network express-route show --resource-group multi-region-rg --name er-ams-1 --query serviceProviderProvisioningState --output tsv

step "15. Configure AzurePrivatePeering on circuit er-wdc-1 (you)"
run az network express-route peering create --resource-group multi-region-rg --circuit-name er-wdc-1 --peering-type AzurePrivatePeering --peer-asn 64512 --primary-peer-subnet 172.31.0.0/30 --secondary-peer-subnet 172.31.0.4/30 --vlan-id 100

step "16. Configure AzurePrivatePeering on circuit er-nyc-1 (you)"
run az network express-route peering create --resource-group multi-region-rg --circuit-name er-nyc-1 --peering-type AzurePrivatePeering --peer-asn 64512 --primary-peer-subnet 172.31.0.8/30 --secondary-peer-subnet 172.31.0.12/30 --vlan-id 101

step "17. Configure AzurePrivatePeering on circuit er-fra-1 (you)"
run az network express-route peering create --resource-group multi-region-rg --circuit-name er-fra-1 --peering-type AzurePrivatePeering --peer-asn 64513 --primary-peer-subnet 172.31.1.0/30 --secondary-peer-subnet 172.31.1.4/30 --vlan-id 200

step "18. Configure AzurePrivatePeering on circuit er-ams-1 (you)"
run az network express-route peering create --resource-group multi-region-rg --circuit-name er-ams-1 --peering-type AzurePrivatePeering --peer-asn 64513 --primary-peer-subnet 172.31.1.8/30 --secondary-peer-subnet 172.31.1.12/30 --vlan-id 201

step "19. Configure the on-premises routers for circuit er-wdc-1 (you (on-premises routers))"
run az network express-route list-arp-tables --resource-group multi-region-rg --name er-wdc-1 --peering-name AzurePrivatePeering --path primary
run az network express-route list-arp-tables --resource-group multi-region-rg --name er-wdc-1 --peering-name AzurePrivatePeering --path secondary
tell "AzurePrivatePeering primary (nyc-rtr1 Te0/1/0.100): VLAN 100, your address 172.31.0.1, BGP neighbor 172.31.0.2 AS 12076" \
     "AzurePrivatePeering secondary (nyc-rtr2 Te0/1/0.100): VLAN 100, your address 172.31.0.5, BGP neighbor 172.31.0.6 AS 12076"
tell "The commands only check the result: each ARP table should list an On-Prem and a Microsoft entry (\`erdesign lint\` reads their JSON next to the design)."
wait_for 'On-Prem ARP entries on the primary link of AzurePrivatePeering' 1 "$ROUTERS_TIMEOUT_MINUTES" az network express-route list-arp-tables --resource-group multi-region-rg --name er-wdc-1 --peering-name AzurePrivatePeering --path primary --query 'length(value[?interface=='"'"'On-Prem'"'"'])' --output tsv

step "20. Configure the on-premises routers for circuit er-nyc-1 (you (on-premises routers))"
run az network express-route list-arp-tables --resource-group multi-region-rg --name er-nyc-1 --peering-name AzurePrivatePeering --path primary
run az network express-route list-arp-tables --resource-group multi-region-rg --name er-nyc-1 --peering-name AzurePrivatePeering --path secondary
tell "AzurePrivatePeering primary (nyc-rtr1 Te0/1/0.101): VLAN 101, your address 172.31.0.9, BGP neighbor 172.31.0.10 AS 12076" \
     "AzurePrivatePeering secondary (nyc-rtr2 Te0/1/0.101): VLAN 101, your address 172.31.0.13, BGP neighbor 172.31.0.14 AS 12076"
tell "The commands only check the result: each ARP table should list an On-Prem and a Microsoft entry (\`erdesign lint\` reads their JSON next to the design)."
wait_for 'On-Prem ARP entries on the primary link of AzurePrivatePeering' 1 "$ROUTERS_TIMEOUT_MINUTES" az network express-route list-arp-tables --resource-group multi-region-rg --name er-nyc-1 --peering-name AzurePrivatePeering --path primary --query 'length(value[?interface=='"'"'On-Prem'"'"'])' --output tsv

step "21. Configure the on-premises routers for circuit er-fra-1 (you (on-premises routers))"
run az network express-route list-arp-tables --resource-group multi-region-rg --name er-fra-1 --peering-name AzurePrivatePeering --path primary
run az network express-route list-arp-tables --resource-group multi-region-rg --name er-fra-1 --peering-name AzurePrivatePeering --path secondary
tell "AzurePrivatePeering primary (fra-rtr1 Hu0/0/0.200): VLAN 200, your address 172.31.1.1, BGP neighbor 172.31.1.2 AS 12076" \
     "AzurePrivatePeering secondary (fra-rtr2 Hu0/0/0.200): VLAN 200, your address 172.31.1.5, BGP neighbor 172.31.1.6 AS 12076"
tell "The commands only check the result: each ARP table should list an On-Prem and a Microsoft entry (\`erdesign lint\` reads their JSON next to the design)."
wait_for 'On-Prem ARP entries on the primary link of AzurePrivatePeering' 1 "$ROUTERS_TIMEOUT_MINUTES" az network express-route list-arp-tables --resource-group multi-region-rg --name er-fra-1 --peering-name AzurePrivatePeering --path primary --query 'length(value[?interface=='"'"'On-Prem'"'"'])' --output tsv

step "22. Configure the on-premises routers for circuit er-ams-1 (you (on-premises routers))"
run az network express-route list-arp-tables --resource-group multi-region-rg --name er-ams-1 --peering-name AzurePrivatePeering --path primary
run az network express-route list-arp-tables --resource-group multi-region-rg --name er-ams-1 --peering-name AzurePrivatePeering --path secondary
tell "AzurePrivatePeering primary (fra-rtr1 Hu0/0/0.201): VLAN 201, your address 172.31.1.9, BGP neighbor 172.31.1.10 AS 12076" \
     "AzurePrivatePeering secondary (fra-rtr2 Hu0/0/0.201): VLAN 201, your address 172.31.1.13, BGP neighbor 172.31.1.14 AS 12076"
tell "The commands only check the result: each ARP table should list an On-Prem and a Microsoft entry (\`erdesign lint\` reads their JSON next to the design)."
wait_for 'On-Prem ARP entries on the primary link of AzurePrivatePeering' 1 "$ROUTERS_TIMEOUT_MINUTES" az network express-route list-arp-tables --resource-group multi-region-rg --name er-ams-1 --peering-name AzurePrivatePeering --path primary --query 'length(value[?interface=='"'"'On-Prem'"'"'])' --output tsv

step "23. Create public IP hub-eus-ergw-pip (you)"
run az network public-ip create --resource-group multi-region-rg --name hub-eus-ergw-pip --location eastus --sku Standard --allocation-method Static --zone 1 2 3 --subscription provider-sub

step "24. Create public IP hub-weu-ergw-pip (you)"
run az network public-ip create --resource-group multi-region-rg --name hub-weu-ergw-pip --location westeurope --sku Standard --allocation-method Static --zone 1 2 3 --subscription provider-sub

step "25. Create ExpressRoute gateway hub-eus-ergw in VNet hub-eus (you)"
run az network vnet-gateway create --resource-group multi-region-rg --name hub-eus-ergw --location eastus --vnet hub-eus --gateway-type ExpressRoute --sku ErGw2AZ --public-ip-addresses hub-eus-ergw-pip --no-wait --subscription provider-sub
tell "The gateway does not depend on the circuit: you may start it while the carrier provisions."
wait_for 'gateway provisioningState' Succeeded "$GATEWAY_TIMEOUT_MINUTES" az network vnet-gateway show --resource-group multi-region-rg --name hub-eus-ergw --query provisioningState --output tsv --subscription provider-sub

step "26. Create ExpressRoute gateway hub-weu-ergw in VNet hub-weu (you)"
run az network vnet-gateway create --resource-group multi-region-rg --name hub-weu-ergw --location westeurope --vnet hub-weu --gateway-type ExpressRoute --sku ErGw2AZ --public-ip-addresses hub-weu-ergw-pip --no-wait --subscription provider-sub
tell "The gateway does not depend on the circuit: you may start it while the carrier provisions."
wait_for 'gateway provisioningState' Succeeded "$GATEWAY_TIMEOUT_MINUTES" az network vnet-gateway show --resource-group multi-region-rg --name hub-weu-ergw --query provisioningState --output tsv --subscription provider-sub

step "27. Connect gateway hub-eus-ergw to circuit er-wdc-1 (you)"
run az network vpn-connection create --resource-group multi-region-rg --name hub-eus-wdc --vnet-gateway1 hub-eus-ergw --express-route-circuit2 "/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/multi-region-rg/providers/Microsoft.Network/expressRouteCircuits/er-wdc-1" --subscription provider-sub

step "28. Connect gateway hub-eus-ergw to circuit er-nyc-1 (you)"
run az network vpn-connection create --resource-group multi-region-rg --name hub-eus-nyc --vnet-gateway1 hub-eus-ergw --express-route-circuit2 "/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/multi-region-rg/providers/Microsoft.Network/expressRouteCircuits/er-nyc-1" --subscription provider-sub

step "29. Connect gateway hub-weu-ergw to circuit er-fra-1 (you)"
run az network vpn-connection create --resource-group multi-region-rg --name hub-weu-fra --vnet-gateway1 hub-weu-ergw --express-route-circuit2 "/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/multi-region-rg/providers/Microsoft.Network/expressRouteCircuits/er-fra-1" --subscription provider-sub

step "30. Connect gateway hub-weu-ergw to circuit er-ams-1 (you)"
run az network vpn-connection create --resource-group multi-region-rg --name hub-weu-ams --vnet-gateway1 hub-weu-ergw --express-route-circuit2 "/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/multi-region-rg/providers/Microsoft.Network/expressRouteCircuits/er-ams-1" --subscription provider-sub

step "31. Peer VNet hub-eus to cust1-eus with gateway transit (you)"
run az network vnet peering create --resource-group multi-region-rg --name hub-eus-to-cust1 --vnet-name hub-eus --remote-vnet /subscriptions/cust1-sub/resourceGroups/multi-region-rg/providers/Microsoft.Network/virtualNetworks/cust1-eus --allow-vnet-access true --allow-forwarded-traffic true --allow-gateway-transit true --use-remote-gateways false --subscription provider-sub

step "32. Peer VNet cust1-eus to hub-eus using its gateway (you)"
run az network vnet peering create --resource-group multi-region-rg --name cust1-to-hub-eus --vnet-name cust1-eus --remote-vnet /subscriptions/provider-sub/resourceGroups/multi-region-rg/providers/Microsoft.Network/virtualNetworks/hub-eus --allow-vnet-access true --allow-forwarded-traffic true --allow-gateway-transit false --use-remote-gateways true --subscription cust1-sub

step "33. Peer VNet hub-eus to cust2-eus with gateway transit (you)"
run az network vnet peering create --resource-group multi-region-rg --name hub-eus-to-cust2 --vnet-name hub-eus --remote-vnet /subscriptions/cust2-sub/resourceGroups/multi-region-rg/providers/Microsoft.Network/virtualNetworks/cust2-eus --allow-vnet-access true --allow-forwarded-traffic true --allow-gateway-transit true --use-remote-gateways false --subscription provider-sub

step "34. Peer VNet cust2-eus to hub-eus using its gateway (you)"
run az network vnet peering create --resource-group multi-region-rg --name cust2-to-hub-eus --vnet-name cust2-eus --remote-vnet /subscriptions/provider-sub/resourceGroups/multi-region-rg/providers/Microsoft.Network/virtualNetworks/hub-eus --allow-vnet-access true --allow-forwarded-traffic true --allow-gateway-transit false --use-remote-gateways true --subscription cust2-sub

step "35. Peer VNet hub-weu to cust3-weu with gateway transit (you)"
run az network vnet peering create --resource-group multi-region-rg --name hub-weu-to-cust3 --vnet-name hub-weu --remote-vnet /subscriptions/cust3-sub/resourceGroups/multi-region-rg/providers/Microsoft.Network/virtualNetworks/cust3-weu --allow-vnet-access true --allow-forwarded-traffic true --allow-gateway-transit true --use-remote-gateways false --subscription provider-sub

step "36. Peer VNet cust3-weu to hub-weu using its gateway (you)"
run az network vnet peering create --resource-group multi-region-rg --name cust3-to-hub-weu --vnet-name cust3-weu --remote-vnet /subscriptions/provider-sub/resourceGroups/multi-region-rg/providers/Microsoft.Network/virtualNetworks/hub-weu --allow-vnet-access true --allow-forwarded-traffic true --allow-gateway-transit false --use-remote-gateways true --subscription cust3-sub

step "37. Global Reach between er-nyc-1 and er-fra-1 (you)"
run az network express-route peering connection create --resource-group multi-region-rg --circuit-name er-nyc-1 --peering-name AzurePrivatePeering --name gr-nyc-fra --peer-circuit er-fra-1 --address-prefix 172.31.9.0/29

echo "Build runbook finished (37 steps)."
