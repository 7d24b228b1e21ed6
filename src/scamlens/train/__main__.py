import sys

from scamlens.cli import main

sys.exit(main(["train", *sys.argv[1:]]))
