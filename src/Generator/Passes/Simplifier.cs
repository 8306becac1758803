using System.Collections.Generic;
using DiffGen.Generator.FrontEnd;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Passes
{
    /// <summary>
    /// Constant folding and algebraic simplification of the primal, only where the result is bit-for-bit the same
    /// under IEEE 754: x·1, x/1, x − 0 and −(−x) fold; x·0 and x + 0 do not (x may be infinite, NaN or −0).
    /// A temp that becomes a plain copy of another single-definition value is replaced by that value.
    /// </summary>
    internal static class Simplifier
    {
        public static IrProgram Run(IrProgram program)
        {
            var constants = new Dictionary<int, double>();
            var definitions = new Dictionary<int, int>();
            StatementWalker.Walk(program.Body, s =>
            {
                if (s.Kind == StmtKind.Assign)
                {
                    definitions[s.Target] = definitions.TryGetValue(s.Target, out int c) ? c + 1 : 1;
                }
            });
            var vars = program.Variables;
            bool SingleTemp(int id) => vars[id].Role == VarRole.Temp && definitions.TryGetValue(id, out int c) && c == 1;

            var alias = new Dictionary<int, int>();
            int Resolve(int id)
            {
                while (alias.TryGetValue(id, out int next))
                {
                    id = next;
                }

                return id;
            }

            var body = StatementWalker.Rewrite(program.Body, s =>
            {
                var args = new int[s.Args.Count];
                for (int i = 0; i < args.Length; i++)
                {
                    args[i] = Resolve(s.Args[i]);
                }

                s = s with { Args = new EquatableArray<int>(args) };
                if (s.Kind != StmtKind.Assign || !SingleTemp(s.Target))
                {
                    return s;
                }

                if (s.Op == Op.Const && s.Text is null)
                {
                    constants[s.Target] = s.Constant;
                    return s;
                }

                var type = vars[s.Target].Type;
                bool real = TypeClassifier.IsReal(type);
                double? Const(int i) => constants.TryGetValue(args[i], out double v) ? v : null;
                if (s.Op is Op.Add or Op.Sub or Op.Mul or Op.Div && Const(0) is { } a && Const(1) is { } b && (real || s.Op != Op.Div))
                {
                    double value = s.Op switch
                    {
                        Op.Add => a + b,
                        Op.Sub => a - b,
                        Op.Mul => a * b,
                        _ => a / b,
                    };
                    if (type == ScalarType.Float)
                    {
                        value = (float)value;
                    }

                    constants[s.Target] = value;
                    return s with { Op = Op.Const, Args = EquatableArray<int>.Empty, Constant = value };
                }

                if (s.Op == Op.Neg && Const(0) is { } c0)
                {
                    constants[s.Target] = -c0;
                    return s with { Op = Op.Const, Args = EquatableArray<int>.Empty, Constant = -c0 };
                }

                if (s.Op == Op.Convert && Const(0) is { } c1 && real)
                {
                    double value = type == ScalarType.Float ? (float)c1 : c1;
                    constants[s.Target] = value;
                    return s with { Op = Op.Const, Args = EquatableArray<int>.Empty, Constant = value };
                }

                int keep = -1;
                if ((s.Op == Op.Mul && Const(1) == 1) || (s.Op == Op.Div && Const(1) == 1) || (s.Op == Op.Sub && Const(1) == 0 && real))
                {
                    keep = args[0];
                }
                else if (s.Op == Op.Mul && Const(0) == 1)
                {
                    keep = args[1];
                }

                if (keep >= 0 && vars[keep].Type == type && vars[keep].Shape == Shape.Scalar && (SingleTemp(keep) || vars[keep].Role == VarRole.Parameter && !IsAssigned(program, keep)))
                {
                    alias[s.Target] = keep;
                    return null;
                }

                return s;
            });

            return program with { Body = FoldConstantBranches(body, constants) };
        }

        /// <summary><c>if (1.5 > 0.2)</c> keeps only the branch that runs (a constant condition would print unreachable code).</summary>
        private static EquatableArray<IrStatement> FoldConstantBranches(EquatableArray<IrStatement> block, Dictionary<int, double> constants)
        {
            var result = new List<IrStatement>();
            foreach (var s in block)
            {
                var statement = s.Body.Count > 0 || s.Else.Count > 0
                    ? s with { Body = FoldConstantBranches(s.Body, constants), Else = FoldConstantBranches(s.Else, constants) }
                    : s;
                if (statement.Kind == StmtKind.If && constants.TryGetValue(statement.Args[0], out double condition))
                {
                    result.AddRange(condition != 0 ? statement.Body : statement.Else);
                    continue;
                }

                // do { ... } while (false) runs its body once; while (false) runs nothing but its condition.
                if (statement.Kind == StmtKind.Loop && constants.TryGetValue(statement.Args[0], out double loopCondition) && loopCondition == 0)
                {
                    result.AddRange(statement.Body);
                    continue;
                }

                result.Add(statement);
            }

            return result.ToEquatableArray();
        }

        private static bool IsAssigned(IrProgram program, int id)
        {
            bool assigned = false;
            StatementWalker.Walk(program.Body, s => assigned |= s.Kind == StmtKind.Assign && s.Target == id);
            return assigned;
        }
    }
}
