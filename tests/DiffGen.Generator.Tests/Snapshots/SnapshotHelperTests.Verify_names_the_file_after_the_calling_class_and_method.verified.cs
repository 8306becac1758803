snapshot helper self-test
