"""The bundled corpus: five raw Indonesian news pages on the 2020 Nagorno-Karabakh war."""
