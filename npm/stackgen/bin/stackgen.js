#!/usr/bin/env node
"use strict";
require("../launcher.js").run(process.argv.slice(2));
