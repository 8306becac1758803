using System.Collections.Generic;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Passes
{
    /// <summary>
    /// Common-subexpression elimination inside each source statement's run of temps (w[i] * w[i] reads w[i] once).
    /// Within such a run only temps are written, so two identical pure operations there give the same value.
    /// </summary>
    internal static class CommonSubexpressions
    {
        public static IrProgram Run(IrProgram program)
        {
            var constants = new Dictionary<int, string>();
            Walk(program.Body, program, constants);
            _constants = constants;
            var alias = new Dictionary<int, int>();
            var body = Block(program, program.Body, alias);
            return program with { Body = body };
        }

        private static EquatableArray<IrStatement> Block(IrProgram program, EquatableArray<IrStatement> block, Dictionary<int, int> alias)
        {
            var result = new List<IrStatement>();
            var seen = new Dictionary<(Op, MathFunction, string, double, string?, int), int>();
            foreach (var original in block)
            {
                var s = Rename(original, alias);
                if (s.Body.Count > 0 || s.Else.Count > 0)
                {
                    s = s with { Body = Block(program, s.Body, alias), Else = Block(program, s.Else, alias) };
                }

                bool temp = s.Kind == StmtKind.Assign && program.Variables[s.Target].Role == VarRole.Temp;
                if (!temp)
                {
                    seen.Clear(); // a write ends the run
                    result.Add(s);
                    continue;
                }

                if (s.Op is Op.Call or Op.CallTangent or Op.Const or Op.Named)
                {
                    result.Add(s);
                    continue;
                }

                var key = (s.Op, s.Function, ArgsKey(s.Args), s.Constant, s.Text, (int)program.Variables[s.Target].Type);
                if (seen.TryGetValue(key, out int existing))
                {
                    alias[s.Target] = existing;
                    continue;
                }

                seen[key] = s.Target;
                result.Add(s);
            }

            return result.ToEquatableArray();
        }

        [System.ThreadStatic]
        private static Dictionary<int, string>? _constants;

        /// <summary>Operands as a key; literal constants by value, so (1 - x) and (1 - x) match although each literal has its own temp.</summary>
        private static string ArgsKey(EquatableArray<int> args)
        {
            var parts = new string[args.Count];
            for (int i = 0; i < parts.Length; i++)
            {
                parts[i] = _constants is not null && _constants.TryGetValue(args[i], out var c) ? c : args[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return string.Join(",", parts);
        }

        private static void Walk(EquatableArray<IrStatement> block, IrProgram program, Dictionary<int, string> constants)
        {
            StatementWalker.Walk(block, s =>
            {
                if (s.Kind == StmtKind.Assign && s.Op == Op.Const && s.Text is null && program.Variables[s.Target].Role == VarRole.Temp)
                {
                    constants[s.Target] = "c" + ((int)program.Variables[s.Target].Type).ToString(System.Globalization.CultureInfo.InvariantCulture)
                        + ":" + s.Constant.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                }
            });
        }

        private static IrStatement Rename(IrStatement s, Dictionary<int, int> alias)
        {
            if (alias.Count == 0)
            {
                return s;
            }

            var args = new int[s.Args.Count];
            bool changed = false;
            for (int i = 0; i < args.Length; i++)
            {
                args[i] = alias.TryGetValue(s.Args[i], out int a) ? a : s.Args[i];
                changed |= args[i] != s.Args[i];
            }

            return changed ? s with { Args = new EquatableArray<int>(args) } : s;
        }
    }
}
