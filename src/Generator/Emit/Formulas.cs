using System.Collections.Generic;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Emit
{
    /// <summary>
    /// For straight-line methods of scalars, the partial derivatives as simplified formulas in the doc comment
    /// (∂Loss/∂w = 2·(w·x + b − y)·x), so a reader sees the symbolic derivative at a glance. They are derived by
    /// running the same chain rule as the generated code on symbolic values. Methods with branches, loops or calls,
    /// and formulas too long to read, get none.
    /// </summary>
    internal static class Formulas
    {
        private const int MaxLength = 160;

        public static void Write(SourceWriter w, MethodModel model)
        {
            var lines = Derive(model);
            if (lines.Count == 0)
            {
                return;
            }

            w.Line("/// <remarks>");
            w.Line("/// Partial derivatives, as derived by DiffGen:");
            w.Line("/// <code>");
            foreach (var line in lines)
            {
                w.Line("/// " + line);
            }

            w.Line("/// </code>");
            w.Line("/// </remarks>");
        }

        public static List<string> Derive(MethodModel model)
        {
            var lines = new List<string>();
            var program = model.Program;
            if (program is null)
            {
                return lines;
            }

            foreach (var p in model.Parameters)
            {
                if (p.Shape != Shape.Scalar)
                {
                    return lines;
                }
            }

            foreach (var s in program.Body)
            {
                if (s.Kind != StmtKind.Assign || s.Op is Op.Call or Op.Load or Op.Select)
                {
                    return lines;
                }
            }

            var adjoint = Symbolic(program, new Dictionary<int, Sym>());
            if (adjoint is null)
            {
                return lines;
            }

            foreach (var p in model.Parameters)
            {
                if (!p.Active)
                {
                    continue;
                }

                int id = IndexOfParameter(program, p.Name);
                var derivative = id >= 0 && adjoint.TryGetValue(id, out var d) ? d : Sym.Zero;
                string text = Readable(derivative.ToMath());
                if (text.Length > MaxLength)
                {
                    return new List<string>();
                }

                lines.Add("\u2202" + model.Name + "/\u2202" + p.Name + " = " + text);
            }

            return lines;
        }

        /// <summary>
        /// The chain rule on symbols: each value as an expression of the parameters (forward), then the adjoint of
        /// each active parameter (reverse). Preset values stand for variables fixed to constants (unit directions).
        /// Null when a rule is piecewise and has no single formula.
        /// </summary>
        private static Dictionary<int, Sym>? Symbolic(IrProgram program, Dictionary<int, Sym> value)
        {
            Sym Value(int id) => value.TryGetValue(id, out var v) ? v : Sym.V(program.Variables[id].Name);
            foreach (var s in program.Body)
            {
                value[s.Target] = Primal(s, Value);
            }

            var adjoint = new Dictionary<int, Sym> { [program.Result] = Sym.One };
            for (int i = program.Body.Count - 1; i >= 0; i--)
            {
                var s = program.Body[i];
                if (!adjoint.TryGetValue(s.Target, out var g))
                {
                    continue;
                }

                adjoint.Remove(s.Target);
                var partials = DerivativeRules.Partials(s, Value, Value(s.Target), program.ResultType);
                for (int a = 0; a < partials.Length; a++)
                {
                    if (partials[a] is not { IsZero: false } partial || !program.Variables[s.Args[a]].Active)
                    {
                        continue;
                    }

                    if (partial is Verbatim)
                    {
                        return null;
                    }

                    var term = Sym.Mul(g, partial);
                    int arg = s.Args[a];
                    adjoint[arg] = adjoint.TryGetValue(arg, out var previous) ? Sym.Add(previous, term) : term;
                }
            }

            return adjoint;
        }

        /// <summary>
        /// The second derivatives of a straight-line method of scalars, for the doc comment of FHessian: column j of
        /// the Hessian is the gradient of the tangent program along the j-th unit direction, derived on symbols
        /// (the upper triangle; the Hessian is symmetric).
        /// </summary>
        public static List<string> DeriveSecond(MethodModel model)
        {
            var lines = new List<string>();
            if (model.Program is not { } program || Derive(model).Count == 0)
            {
                return lines;
            }

            var tangent = Passes.TangentTransform.Build(program, model.Parameters);
            if (tangent.Unsupported is not null)
            {
                return lines;
            }

            var parameters = new List<ParameterModel>(model.Parameters);
            foreach (int t in tangent.TangentParameters)
            {
                var v = tangent.Program.Variables[t];
                parameters.Add(new ParameterModel(v.Name, string.Empty, v.Type, Shape.Scalar, Storage.Value, false, null));
            }

            var active = new List<ParameterModel>();
            foreach (var p in model.Parameters)
            {
                if (p.Active)
                {
                    active.Add(p);
                }
            }

            var tangentProgram = Passes.ActivityAnalysis.Run(tangent.Program, parameters.ToEquatableArray());
            foreach (var s in tangentProgram.Body)
            {
                if (s.Kind != StmtKind.Assign || s.Op is Op.Call or Op.Load or Op.Select or Op.CallTangent)
                {
                    return lines;
                }
            }

            for (int j = 0; j < active.Count; j++)
            {
                var direction = new Dictionary<int, Sym>();
                for (int k = 0; k < tangent.TangentParameters.Count; k++)
                {
                    direction[tangent.TangentParameters[k]] = Sym.N(k == j ? 1 : 0);
                }

                var adjoint = Symbolic(tangentProgram, direction);
                if (adjoint is null)
                {
                    return new List<string>();
                }

                for (int i = 0; i <= j; i++)
                {
                    int id = IndexOfParameter(program, active[i].Name);
                    var derivative = id >= 0 && adjoint.TryGetValue(id, out var d) ? d : Sym.Zero;
                    string text = Readable(derivative.ToMath());
                    if (text.Length > MaxLength)
                    {
                        return new List<string>();
                    }

                    string name = i == j
                        ? "\u2202\u00b2" + model.Name + "/\u2202" + active[i].Name + "\u00b2"
                        : "\u2202\u00b2" + model.Name + "/\u2202" + active[i].Name + "\u2202" + active[j].Name;
                    lines.Add(name + " = " + text);
                }
            }

            return lines;
        }

        /// <summary>Math.Cos(x) reads as cos(x) in a formula.</summary>
        private static string Readable(string text)
        {
            foreach (MathFunction f in System.Enum.GetValues(typeof(MathFunction)))
            {
                string lower = f.ToString().ToLowerInvariant() + "(";
                text = text.Replace("MathF." + f + "(", lower).Replace("Math." + f + "(", lower);
            }

            return text;
        }

        private static int IndexOfParameter(IrProgram program, string name)
        {
            for (int i = 0; i < program.Variables.Count; i++)
            {
                if (program.Variables[i].Role == VarRole.Parameter && program.Variables[i].Name == name)
                {
                    return i;
                }
            }

            return -1;
        }

        private static Sym Primal(IrStatement s, System.Func<int, Sym> v)
        {
            Sym A(int i) => v(s.Args[i]);
            switch (s.Op)
            {
                case Op.Const:
                    return s.Text is null ? Sym.N(s.Constant) : Sym.V(s.Text.Replace("global::System.", string.Empty).Replace("global::", string.Empty));
                case Op.Named:
                    return Sym.V(s.Text!.Replace("global::", string.Empty));
                case Op.Copy:
                case Op.Convert:
                    return A(0);
                case Op.Neg:
                    return Sym.Neg(A(0));
                case Op.Add:
                    return Sym.Add(A(0), A(1));
                case Op.Sub:
                    return Sym.Sub(A(0), A(1));
                case Op.Mul:
                    return Sym.Mul(A(0), A(1));
                case Op.Div:
                    return Sym.Div(A(0), A(1));
                case Op.Math:
                    var args = new Sym[s.Args.Count];
                    for (int i = 0; i < args.Length; i++)
                    {
                        args[i] = A(i);
                    }

                    return Sym.Call(s.Function.ToString().ToLowerInvariant(), args);
                default:
                    return Sym.V("?");
            }
        }
    }
}
