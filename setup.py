"""The compiled tokenizer (annotations/_tokens.c) and word look-up (annotations/_words.c); everything else
is declared in pyproject.toml.

The extensions are optional: where no C compiler is found the build goes on
without them and tandai uses the same tokenizer written as a regular
expression, and numpy to find words.
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension("annotations._tokens", ["annotations/_tokens.c"], optional=True),
                   Extension("annotations._words", ["annotations/_words.c"], optional=True)])
