import { defineRule } from "../../engine/rule.js";

// The engine reports these after every other rule has run: only it knows which suppressions were used.
export default defineRule({
  meta: { id: "meta/unused-suppression", severity: "warning", summary: "An inline kube-netlint-disable comment or kube-netlint.io/ignore annotation that suppressed nothing" },
  check() {},
});
