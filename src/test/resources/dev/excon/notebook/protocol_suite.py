"""jupyter_kernel_test's protocol suite against the ExCon kernel (run by KernelProtocolTest)."""
import unittest

import jupyter_kernel_test


class ExconKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "excon"
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("to stderr");'

    completion_samples = [
        {"text": "%cla", "matches": {"%classpath"}},
        {"text": "%excon se", "matches": {"seed"}},
        {"text": '"abc".len', "matches": {"length()"}},
    ]

    complete_code_samples = ["1 + 1", "int x = 3;", "%excon env", "for (int i = 0; i < 2; i++) {}",
                             "%excon seed 1\nint y = 2;"]
    incomplete_code_samples = ["int x =", "for (int i = 0; i < 2; i++) {", "class A {", "Math.max(1,"]
    invalid_code_samples = ["}", "int y = 3 }"]

    code_generate_error = 'throw new IllegalStateException("boom");'

    code_execute_result = [
        {"code": "6*7", "result": "42"},
        {"code": '"ExCon".length()', "result": "5"},
        {"code": "java.util.List.of(1, 2)", "result": "[1, 2]"},
    ]

    code_display_data = [
        {"code": 'display(html("<b>bold</b>"));', "mime": "text/html"},
        {"code": "display(new java.awt.image.BufferedImage(2, 2, 1));", "mime": "image/png"},
    ]

    code_history_pattern = "6?7"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = "clearOutput();"


if __name__ == "__main__":
    unittest.main()
