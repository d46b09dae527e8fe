#!/usr/bin/env node
console.log("kube-netlint");
