# The data folders rules/ and pricing/ live at the top of the repository but
# ship inside the package as erdesign.rules and erdesign.pricing.
from setuptools import find_packages, setup

setup(packages=find_packages("src") + ["erdesign.rules", "erdesign.pricing"])
