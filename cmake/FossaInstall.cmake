# install rules: later
