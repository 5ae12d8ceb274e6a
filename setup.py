"""The compiled tokenizer (annotations/_tokens.c); everything else is declared in pyproject.toml.

The extension is optional: where no C compiler is found the build goes on
without it and tandai uses the same tokenizer written as a regular expression.
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension("annotations._tokens", ["annotations/_tokens.c"], optional=True)])
