"""Only the optional C extensions; everything else lives in pyproject.toml.

The kernel for hashed n-grams, the Keccak sponge, the rule literal trees and the words of the
language check. `optional=True`: without a working C compiler the install goes on without them
and scamlens uses its numpy / pure-Python paths (same results, slower).
"""

from __future__ import annotations

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class BuildExt(build_ext):
    """GCC/Clang flags only where the compiler is not MSVC."""

    def build_extensions(self) -> None:
        if self.compiler.compiler_type != "msvc":
            # No fused multiply-add contraction: every float32 rounding stays where numpy's is.
            for ext in self.extensions:
                ext.extra_compile_args = ["-O2", "-ffp-contract=off", *ext.extra_compile_args]
        super().build_extensions()


setup(
    ext_modules=[
        Extension(
            "scamlens.scoring._ngram",
            ["src/scamlens/scoring/_ngram.c"],
            optional=True,
        ),
        Extension(
            "scamlens.indicators._keccak",
            ["src/scamlens/indicators/_keccak.c"],
            optional=True,
        ),
        Extension(
            "scamlens.detect._trees",
            ["src/scamlens/detect/_trees.c"],
            optional=True,
        ),
        Extension(
            "scamlens.text._letters",
            ["src/scamlens/text/_letters.c"],
            optional=True,
        ),
    ],
    cmdclass={"build_ext": BuildExt},
)
