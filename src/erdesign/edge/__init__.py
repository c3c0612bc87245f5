"""The customer edge: render the router side of ExpressRoute links from a design (`erdesign router-config`),
and read a router's configuration to check it against the design (the RTR rules).

links.py derives what each router must carry; render.py fills the vendor templates in
rules/router_templates/; ios.py and junos.py read configurations into config.py's common shape;
attach.py reads the files a lint run was given and hands them to the checks.
"""
