#!/usr/bin/env node
"use strict";
// `npm create stackgen [NAME] [-- FLAGS]` is `stackgen new [NAME] [FLAGS]`: with no arguments
// at a terminal it starts the wizard.
require("stackgen/launcher").run(["new", ...process.argv.slice(2)]);
