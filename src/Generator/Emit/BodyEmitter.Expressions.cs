using System.Collections.Generic;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Emit
{
    /// <summary>How values print: a temp that is used once is written inside its consumer, like a person would.</summary>
    internal sealed partial class BodyEmitter
    {
        /// <summary>The value of a variable in the forward sweep.</summary>
        private Sym Fwd(int id)
        {
            if (_plan.InlineForward(id))
            {
                return Expression(_plan.Variables[id].Definition!, _fwd);
            }

            return Sym.V(Name(id));
        }

        /// <summary>The value of a variable in the reverse sweep (constants, lengths and recomputed element reads inline).</summary>
        private Sym Rev(int id)
        {
            var v = _program.Variables[id];
            var info = _plan.Variables[id];
            if (v.Role == VarRole.Temp && info.Definition is { } def)
            {
                if (def.Op == Op.Const && def.Text is null)
                {
                    return Sym.N(def.Constant); // a number, so the rules' algebra can fold it (x^2 → 2·x)
                }

                if (info.Mode == TempMode.Recompute && _plan.IsScaled(def))
                {
                    return Sym.Mul(Rev(def.Args[0]), Rev(def.Args[1]));
                }

                if (_plan.IsStable(id) || (info.Mode == TempMode.Recompute && _plan.InlineReverse(id)))
                {
                    return Expression(def, _rev);
                }
            }

            return Sym.V(Name(id));
        }

        /// <summary>The primal expression of a statement. No algebra here: the primal prints exactly as computed.</summary>
        private Sym Expression(IrStatement s, System.Func<int, Sym> value)
        {
            var type = _program.Variables[s.Target].Type;
            string Text(int i, int precedence) => Print(value(s.Args[i]), _program.Variables[s.Args[i]].Type, precedence);
            switch (s.Op)
            {
                case Op.Const:
                    string literal = Lit(s.Constant, type);
                    return Sym.Raw(s.Text is null ? literal : ShortName(s.Text), s.Constant < 0 && s.Text is null ? Sym.Precedence.Unary : Sym.Precedence.Atom);
                case Op.Named:
                    return Sym.Raw(ShortName(s.Text!));
                case Op.Copy:
                    return value(s.Args[0]);
                case Op.Convert:
                    // An explicit cast keeps the type the user wrote ((long)x stays a long truncation).
                    return Sym.Raw((s.Text ?? "(" + MethodEmitter.TypeName(type) + ")") + Text(0, Sym.Precedence.Unary), Sym.Precedence.Unary);
                case Op.Neg:
                    return Sym.Raw("-" + NoDoubleMinus(Text(0, Sym.Precedence.Unary)), Sym.Precedence.Unary);
                case Op.Add:
                case Op.Sub:
                    return Sym.Raw(Text(0, Sym.Precedence.Additive) + (s.Op == Op.Add ? " + " : " - ") + Text(1, Sym.Precedence.Additive + 1), Sym.Precedence.Additive);
                case Op.Mul:
                case Op.Div:
                case Op.Rem:
                    string op = s.Op == Op.Mul ? " * " : s.Op == Op.Div ? " / " : " % ";
                    return Sym.Raw(Text(0, Sym.Precedence.Multiplicative) + op + Text(1, Sym.Precedence.Multiplicative + 1), Sym.Precedence.Multiplicative);
                case Op.Lt:
                case Op.Le:
                case Op.Gt:
                case Op.Ge:
                    string cmp = s.Op switch { Op.Lt => " < ", Op.Le => " <= ", Op.Gt => " > ", _ => " >= " };
                    return Sym.Raw(Text(0, Sym.Precedence.Relational + 1) + cmp + Text(1, Sym.Precedence.Relational + 1), Sym.Precedence.Relational);
                case Op.Eq:
                case Op.Ne:
                    return Sym.Raw(Text(0, Sym.Precedence.Equality + 1) + (s.Op == Op.Eq ? " == " : " != ") + Text(1, Sym.Precedence.Equality + 1), Sym.Precedence.Equality);
                case Op.Not:
                    return Sym.Raw("!" + Text(0, Sym.Precedence.Unary), Sym.Precedence.Unary);
                case Op.AndAlso:
                    return Sym.Raw(Text(0, Sym.Precedence.AndAlso) + " && " + Text(1, Sym.Precedence.AndAlso + 1), Sym.Precedence.AndAlso);
                case Op.OrElse:
                    return Sym.Raw(Text(0, Sym.Precedence.OrElse) + " || " + Text(1, Sym.Precedence.OrElse + 1), Sym.Precedence.OrElse);
                case Op.Select:
                    return Sym.Raw(Text(0, Sym.Precedence.Conditional + 1) + " ? " + Text(1, Sym.Precedence.Conditional + 1) + " : " + Text(2, Sym.Precedence.Conditional), Sym.Precedence.Conditional);
                case Op.Load:
                    return Sym.Raw(Element(s.Args, value));
                case Op.Length when s.Args.Count == 2:
                    return Sym.Raw(Name(s.Args[0]) + "[" + Print(value(s.Args[1]), ScalarType.Int, Sym.Precedence.Lowest) + "].Length");
                case Op.Length:
                    return Sym.Raw(Length(s.Args[0], (int)s.Constant));
                case Op.Math:
                    var mathArgs = new Sym[s.Args.Count];
                    for (int i = 0; i < mathArgs.Length; i++)
                    {
                        mathArgs[i] = Sym.Raw(Text(i, Sym.Precedence.Lowest));
                    }

                    return Sym.Call((s.Text == "MathF" ? "MathF" : "Math") + "." + s.Function, mathArgs);
                case Op.Call:
                    var call = _program.Calls[s.Aux];
                    var callArgs = new Sym[s.Args.Count];
                    for (int i = 0; i < callArgs.Length; i++)
                    {
                        callArgs[i] = Sym.Raw(Text(i, Sym.Precedence.Lowest));
                    }

                    return Sym.Call(call.Primal, callArgs);
                default:
                    return Sym.Raw("default");
            }
        }

        /// <summary>-(-x) must not print as --x (a decrement).</summary>
        internal static string NoDoubleMinus(string operand) => operand.StartsWith("-", System.StringComparison.Ordinal) ? "(" + operand + ")" : operand;

        private string Print(Sym sym, ScalarType type, int precedence)
        {
            string text = sym.ToCSharp(type);
            int own = sym switch
            {
                Verbatim v => v.Level,
                Atom or Apply => Sym.Precedence.Atom,
                Num n => n.Value < 0 ? Sym.Precedence.Unary : Sym.Precedence.Atom,
                NegOf => Sym.Precedence.Unary,
                Binary { Op: '+' or '-' } => Sym.Precedence.Additive,
                _ => Sym.Precedence.Multiplicative,
            };
            return own < precedence ? "(" + text + ")" : text;
        }

        /// <summary><c>global::System.Math.PI</c> reads as <c>Math.PI</c>.</summary>
        private static string ShortName(string text) => text.StartsWith("global::System.Math", System.StringComparison.Ordinal)
            ? text.Substring("global::System.".Length)
            : text;

        /// <summary>An element access: <c>a[i]</c>, <c>m[i, j]</c>, <c>rows[i][j]</c>; a local matrix is a flat buffer, <c>h[i * hColumns + j]</c>.</summary>
        private string Element(EquatableArray<int> args, System.Func<int, Sym> value, bool adjoint = false)
        {
            int array = args[0];
            var v = _program.Variables[array];
            string name = adjoint ? Adjoint(array) : Name(array);
            int count = args.Count;
            string Index(int i) => Print(value(args[i]), ScalarType.Int, Sym.Precedence.Lowest);
            if (v.Shape == Shape.Jagged)
            {
                return name + "[" + Index(1) + "][" + Index(2) + "]";
            }

            if (v.Shape == Shape.Matrix && v.Storage == Storage.LocalBuffer)
            {
                return name + "[" + Print(value(args[1]), ScalarType.Int, Sym.Precedence.Multiplicative) + " * " + Name(array) + "Columns + " + Print(value(args[2]), ScalarType.Int, Sym.Precedence.Additive + 1) + "]";
            }

            var parts = new List<string>();
            for (int i = 1; i < count; i++)
            {
                parts.Add(Index(i));
            }

            return name + "[" + string.Join(", ", parts) + "]";
        }

        private EquatableArray<int> StoreIndex(IrStatement s)
        {
            var list = new List<int>();
            for (int i = 0; i < s.Args.Count - 1; i++)
            {
                list.Add(s.Args[i]);
            }

            return new EquatableArray<int>(list.ToArray());
        }

        private string Length(int array, int dimension)
        {
            var v = _program.Variables[array];
            if (v.Shape == Shape.Matrix)
            {
                return v.Storage == Storage.LocalBuffer
                    ? Name(array) + (dimension == 0 ? "Rows" : "Columns")
                    : Name(array) + ".GetLength(" + dimension.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";
            }

            return Name(array) + ".Length";
        }
    }
}
