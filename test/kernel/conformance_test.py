"""The standard Jupyter kernel conformance suite (python3-jupyter-kernel-test) for the snnlab
kernel, plus checks of what snnlab adds: full MIME bundles and structured errors.

Run by test/kernel/conformance.test.ts with JUPYTER_PATH pointing at kernel/jupyter."""
import unittest

import jupyter_kernel_test


class SnnlabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "snnlab"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("something on stderr")'
    code_generate_error = 'throw new Error("boom")'
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"a" + "b"', "result": "'ab'"},
        {"code": "[1, 2, 3].map((x) => x * 2)", "result": "[ 2, 4, 6 ]"},
    ]
    code_display_data = [
        {"code": 'import { show } from "snnlab/kernel";\nshow({ data: [{ type: "scatter", x: [1, 2], y: [3, 4] }], layout: { title: "t" } });', "mime": "application/vnd.plotly.v1+json"},
        {"code": 'import { show } from "snnlab/kernel";\nshow({ data: [{ type: "scatter", x: [1, 2], y: [3, 4] }], layout: {} });', "mime": "text/html"},
        {"code": 'import { show } from "snnlab/kernel";\nshow(42);', "mime": "text/plain"},
        # tslab's own display API, which threw "Not ready" before the kernel routed it.
        {"code": 'import * as tslab from "tslab";\ntslab.display.html("<b>x</b>");', "mime": "text/html"},
        {"code": 'import * as tslab from "tslab";\ntslab.display.markdown("**x**");', "mime": "text/markdown"},
        {"code": 'import * as tslab from "tslab";\ntslab.display.png(new Uint8Array([137, 80, 78, 71]));', "mime": "image/png"},
    ]
    code_clear_output = 'import { clearOutput } from "snnlab/kernel";\nclearOutput();'
    completion_samples = [{"text": "Math.PI.toFix"}]
    complete_code_samples = ["1 + 1", "const x = 1;", "function f() { return 1; }"]
    incomplete_code_samples = ["function f() {", "const a = [1,"]
    code_inspect_sample = "Math.max"

    def test_snnlab_type_error_is_an_error_message(self):
        self.flush_channels()
        reply, output = self.execute_helper('const n: number = "not a number";')
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "TypeScriptError")
        self.assertIn("not assignable", reply["content"]["evalue"])
        errors = [m for m in output if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        self.assertTrue(errors[0]["content"]["traceback"])

    def test_snnlab_thrown_error_has_name_and_traceback(self):
        self.flush_channels()
        reply, output = self.execute_helper('throw new RangeError("out of range")')
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "RangeError")
        self.assertEqual(reply["content"]["evalue"], "out of range")
        self.assertTrue(any("RangeError: out of range" in line for line in reply["content"]["traceback"]))

    def test_snnlab_kernel_usable_after_error(self):
        self.flush_channels()
        self.execute_helper('throw new Error("first")')
        reply, output = self.execute_helper("1 + 1")
        self.assertEqual(reply["content"]["status"], "ok")
        results = [m for m in output if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "2")

    def test_snnlab_figure_is_one_full_bundle(self):
        self.flush_channels()
        reply, output = self.execute_helper('({ data: [{ type: "scatter", x: [1], y: [2] }], layout: { title: "<b>x</b>" } })')
        self.assertEqual(reply["content"]["status"], "ok")
        results = [m for m in output if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1)
        data = results[0]["content"]["data"]
        self.assertEqual(set(data), {"application/vnd.plotly.v1+json", "text/html", "text/plain"})
        self.assertIn("&lt;b&gt;x&lt;/b&gt;", data["text/html"])
        self.assertNotIn("<b>x</b>", data["text/html"])

    def test_snnlab_library_import_by_package_name(self):
        self.flush_channels()
        reply, output = self.execute_helper('import { createRng } from "snnlab";\ncreateRng(1).int(1000) >= 0')
        self.assertEqual(reply["content"]["status"], "ok")
        results = [m for m in output if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "true")


if __name__ == "__main__":
    unittest.main()
