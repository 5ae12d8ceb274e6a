"""The compiled modules: the tokenizer (annotations/_tokens.c), word look-up (annotations/_words.c) and the
counting of ``tandai agreement`` (annotations/_agreement.c); everything else is declared in pyproject.toml.

The extensions are optional: where no C compiler is found the build goes on without them and tandai
uses the same code without C: the tokenizer as a regular expression, numpy to find words, and the
agreement engine of annotations/agreement_pairs.py.
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension("annotations._tokens", ["annotations/_tokens.c"], optional=True),
                   Extension("annotations._words", ["annotations/_words.c"], optional=True),
                   Extension("annotations._agreement", ["annotations/_agreement.c"], optional=True)])
