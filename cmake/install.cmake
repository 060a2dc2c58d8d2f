# install rules: see issue 6
