using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace DiffGen.Generator.Tests.Differential
{
    /// <summary>
    /// Writes random [Differentiable] methods from the supported grammar: arithmetic, Math functions with their
    /// arguments kept inside their domains, locals and reassignment, compound assignment, branches, loops over a span
    /// with a local buffer that is overwritten, calls to earlier generated methods and to a custom-derivative helper.
    /// Every method has the same signature, F(double a, double b, double c, ReadOnlySpan&lt;double&gt; w), so one driver
    /// shape calls them all. A program is a list of top-level statements, so a failing one can be shrunk by deleting.
    /// </summary>
    public sealed class RandomProgram
    {
        private readonly Random _random;
        private readonly List<string> _scalars = new() { "a", "b", "c" };
        private readonly List<string> _extraReads = new();
        private readonly int _callable;
        private int _locals;
        private int _depth;

        public RandomProgram(int seed, int callable)
        {
            _random = new Random(seed);
            _callable = callable;
        }

        public List<string> Statements { get; } = new();

        public static string Method(string name, IReadOnlyList<string> statements, string result)
        {
            var b = new StringBuilder();
            b.Append("    [Differentiable]\n");
            b.Append("    public static double ").Append(name).Append("(double a, double b, double c, ReadOnlySpan<double> w)\n    {\n");
            b.Append("        Span<double> buf = stackalloc double[4];\n");
            foreach (var s in statements)
            {
                b.Append("        ").Append(s.Replace("\n", "\n        ")).Append('\n');
            }

            b.Append("        return ").Append(result).Append(";\n    }\n");
            return b.ToString();
        }

        /// <summary>
        /// A vector-valued method, void F(double a0, double b0, double c0, ReadOnlySpan&lt;double&gt; w, [Output] Span&lt;double&gt; o),
        /// with the same statements and one expression per output. Only the [Output] span may be written among the
        /// parameters, so the scalars are copied into locals a, b, c first and the statements work on those.
        /// </summary>
        public static string VectorMethod(string name, IReadOnlyList<string> statements, IReadOnlyList<string> outputs)
        {
            var b = new StringBuilder();
            b.Append("    [Differentiable(Modes = DiffModes.Jacobian)]\n");
            b.Append("    public static void ").Append(name).Append("(double a0, double b0, double c0, ReadOnlySpan<double> w, [Output] Span<double> o)\n    {\n");
            b.Append("        double a = a0, b = b0, c = c0;\n");
            b.Append("        Span<double> buf = stackalloc double[4];\n");
            foreach (var s in statements)
            {
                b.Append("        ").Append(s.Replace("\n", "\n        ")).Append('\n');
            }

            for (int j = 0; j < outputs.Count; j++)
            {
                b.Append("        o[").Append(j.ToString(CultureInfo.InvariantCulture)).Append("] = ").Append(outputs[j]).Append(";\n");
            }

            b.Append("    }\n");
            return b.ToString();
        }

        /// <summary>Generates the body; returns the result expression.</summary>
        public string Generate()
        {
            int count = _random.Next(2, 9);
            for (int i = 0; i < count; i++)
            {
                Statements.Add(Statement());
            }

            return Expression(2) + " + " + _scalars[_scalars.Count - 1] + " + buf[" + _random.Next(4).ToString(CultureInfo.InvariantCulture) + "]";
        }

        private string NewLocal()
        {
            string name = "v" + (_locals++).ToString(CultureInfo.InvariantCulture);
            return name;
        }

        private string Statement()
        {
            int choice = _random.Next(_depth > 0 ? 5 : 8);
            if (_depth > 0 && choice < 2)
            {
                choice = 2; // no declarations inside blocks: they would not be visible after them
            }

            switch (choice)
            {
                case 0:
                case 1:
                {
                    string e = Expression(3);
                    string name = NewLocal();
                    _scalars.Add(name);
                    return "double " + name + " = " + e + ";";
                }

                case 2:
                {
                    string target = Pick(_scalars);
                    string value = Expression(3);
                    return target + " = " + (value == target ? "Math.Sin(" + value + ")" : value) + ";";
                }

                case 3:
                    return Pick(_scalars) + " " + Pick(new[] { "+=", "-=", "*=" }) + " " + Bounded(Expression(2)) + ";";
                case 4:
                    return "buf[" + _random.Next(4).ToString(CultureInfo.InvariantCulture) + "] " + Pick(new[] { "=", "+=" }) + " " + Expression(2) + ";";
                case 5:
                {
                    _depth++;
                    string then = Statement();
                    string other = Statement();
                    _depth--;
                    string left = Expression(1);
                    string right = Expression(1);
                    if (right == left)
                    {
                        right = "(" + left + " + 0.25)";
                    }

                    return "if (" + left + " > " + right + ")\n{\n    " + then + "\n}\nelse\n{\n    " + other + "\n}";
                }

                case 6:
                {
                    // A loop over the span: loop-carried scalars and buffer overwrites.
                    _depth++;
                    string target = Pick(_scalars);
                    _extraReads.Add("w[i]");
                    _extraReads.Add("buf[i % 4]");
                    string body = target + " += " + Bounded(Expression(2)) + ";";
                    string extra = "buf[i % 4] = " + Expression(1) + " * " + Pick(_scalars) + ";";
                    _extraReads.Clear();
                    _depth--;
                    return "for (int i = 0; i < w.Length; i++)\n{\n    " + body + "\n    " + extra + "\n}";
                }

                default:
                {
                    // A while loop with a data-dependent trip count and a break.
                    _depth++;
                    string target = Pick(_scalars);
                    string update = target + " = " + target + " * 0.5 + " + Bounded(Expression(1)) + ";";
                    _depth--;
                    string n = "n" + (_locals++).ToString(CultureInfo.InvariantCulture);
                    return "int " + n + " = 0;\nwhile (" + n + " < 3 + (int)(Math.Abs(a) * 2))\n{\n    "
                        + update + "\n    " + n + "++;\n    if (" + n + " > 6) break;\n}";
                }
            }
        }

        /// <summary>Keeps a value in [-1, 1]-ish so products of many terms cannot overflow.</summary>
        private static string Bounded(string e) => "Math.Tanh(" + e + ")";

        private string Expression(int depth)
        {
            if (depth <= 0 || _random.Next(4) == 0)
            {
                if (_extraReads.Count > 0 && _random.Next(2) == 0)
                {
                    return Pick(_extraReads);
                }

                return _random.Next(5) == 0 ? Literal() : Pick(_scalars);
            }

            string x = Expression(depth - 1);
            string y = Expression(depth - 1);
            for (int retry = 0; y == x && retry < 5; retry++)
            {
                y = Expression(depth - 1); // x > x would be the user's own CS1718 warning, copied into the generated code
            }

            if (y == x)
            {
                y = "(" + x + " + 0.25)";
            }

            switch (_random.Next(26))
            {
                case 0: return "(" + x + " + " + y + ")";
                case 1: return "(" + x + " - " + y + ")";
                case 2: return "(" + x + " * " + y + ")";
                case 3: return "(" + x + " / (1.5 + Math.Sin(" + y + ")))";
                case 4: return "(-" + x + ")";
                case 5: return "Math.Sin(" + x + ")";
                case 6: return "Math.Cos(" + x + ")";
                case 7: return "Math.Tanh(" + x + ")";
                case 8: return "Math.Exp(Math.Sin(" + x + "))";
                case 9: return "Math.Log(1.0 + " + x + " * " + x + ")";
                case 10: return "Math.Sqrt(1.0 + " + x + " * " + x + ")";
                case 11: return "Math.Atan(" + x + ")";
                case 12: return "Math.Atan2(" + x + ", 2.0 + Math.Cos(" + y + "))";
                case 13: return "Math.Pow(1.5 + Math.Sin(" + x + "), " + Pick(new[] { "2", "3", "0.5", "1.5 + Math.Cos(" + y + ")" }) + ")";
                case 14: return "Math.Sinh(Math.Sin(" + x + "))";
                case 15: return "Math.Cosh(Math.Sin(" + x + "))";
                case 16: return "Math.Asin(0.9 * Math.Sin(" + x + "))";
                case 17: return "Math.Acos(0.9 * Math.Cos(" + x + "))";
                case 18: return "Math.Asinh(" + x + ")";
                case 19: return "Math.Atanh(0.9 * Math.Tanh(" + x + "))";
                case 20: return "Math.Cbrt(2.0 + Math.Sin(" + x + "))";
                case 21: return "Math.Max(" + x + ", " + y + ")";
                case 22: return "Math.Abs(" + x + ")";
                case 23: return "(" + x + " > " + y + " ? " + x + " : " + y + " * 0.5)";
                case 24: return _callable > 0 ? "H" + _random.Next(_callable).ToString(CultureInfo.InvariantCulture) + "(Math.Tanh(" + x + "), Math.Tanh(" + y + "), b, w)" : "Sq(" + x + ")";
                default: return "Sq(Math.Tanh(" + x + "))";
            }
        }

        private string Literal() => (_random.NextDouble() * 2 + 0.1).ToString("0.###", CultureInfo.InvariantCulture);

        private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
    }
}
