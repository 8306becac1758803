using System;
using System.Globalization;
using DiffGen.Generator.Ir;

namespace DiffGen.Generator.Emit
{
    /// <summary>
    /// A small symbolic expression: the emitter builds primal expressions and partial derivatives with it, and the
    /// smart constructors simplify as they build (x·1 → x, x + 0 → x, −(−x) → x, constants folded), so the generated
    /// code and the formula comments read like a person wrote them. Zero is symbolic: a zero term is dropped.
    /// </summary>
    internal abstract record Sym
    {
        public static readonly Sym Zero = new Num(0);
        public static readonly Sym One = new Num(1);

        public bool IsZero => this is Num { Value: 0 };

        public bool IsOne => this is Num { Value: 1 };

        public static Sym N(double value) => new Num(value);

        public static Sym V(string name) => new Atom(name);

        public static Sym Add(Sym a, Sym b)
        {
            if (a.IsZero)
            {
                return b;
            }

            if (b.IsZero)
            {
                return a;
            }

            if (a is Num x && b is Num y)
            {
                return N(x.Value + y.Value);
            }

            if (b is NegOf nb)
            {
                return Sub(a, nb.Operand);
            }

            if (a is NegOf na)
            {
                return Sub(b, na.Operand);
            }

            if (a == b)
            {
                return Mul(N(2), a);
            }

            // Like terms: 2·g·t + 3·g·t → 5·g·t (the two terms of a product rule on t·t, or on 100·t·t).
            if (Coefficient(a, out var restA) is { } ca && Coefficient(b, out var restB) is { } cb && restA == restB && ca + cb != 0)
            {
                return Scaled(ca + cb, restA!);
            }

            return new Binary('+', a, b);
        }

        /// <summary>Adds a term to a sum, merging it with a like term anywhere in the sum (a + 2·g·t + 3·g·t → a + 5·g·t).</summary>
        public static Sym Accumulate(Sym sum, Sym term)
        {
            var parts = new System.Collections.Generic.List<Sym>();
            Flatten(sum, false, parts);
            for (int i = 0; i < parts.Count; i++)
            {
                if (Coefficient(parts[i], out var rest) is not null && rest is not null && Coefficient(term, out var restTerm) is not null && rest == restTerm)
                {
                    parts[i] = Add(parts[i], term);
                    var result = parts[0];
                    for (int k = 1; k < parts.Count; k++)
                    {
                        result = Add(result, parts[k]);
                    }

                    return result;
                }
            }

            return Add(sum, term);
        }

        private static void Flatten(Sym s, bool negate, System.Collections.Generic.List<Sym> parts)
        {
            switch (s)
            {
                case Binary { Op: '+' } b:
                    Flatten(b.Left, negate, parts);
                    Flatten(b.Right, negate, parts);
                    break;
                case Binary { Op: '-' } b:
                    Flatten(b.Left, negate, parts);
                    Flatten(b.Right, !negate, parts);
                    break;
                default:
                    parts.Add(negate ? Neg(s) : s);
                    break;
            }
        }

        /// <summary>c·x, with a negative c written as −(|c|·x) so that it prints as a subtraction.</summary>
        private static Sym Scaled(double c, Sym x) => c < 0 ? Neg(Mul(N(-c), x)) : Mul(N(c), x);

        /// <summary>
        /// The number a product or quotient is scaled by, and the rest: 0.5·g/v → (0.5, g/v), 0.5/v → (0.5, 1/v), 2·g·t → (2, g·t),
        /// g·t → (1, g·t); null for a bare number.
        /// </summary>
        public static double? ConstantFactor(Sym s, out Sym? rest)
        {
            if (s is Binary { Op: '/', Left: Num number } reciprocal)
            {
                rest = new Binary('/', One, reciprocal.Right);
                return number.Value;
            }

            if (s is Binary { Op: '/' } quotient && Coefficient(quotient.Left, out var numerator) is { } c && numerator is not null)
            {
                rest = c == 1 ? s : new Binary('/', numerator, quotient.Right);
                return c;
            }

            return Coefficient(s, out rest);
        }

        /// <summary>Splits a product into its number and the rest: 2·g·t → (2, g·t), g·t → (1, g·t), −x → (−1, x).</summary>
        private static double? Coefficient(Sym s, out Sym? rest)
        {
            switch (s)
            {
                case Binary { Op: '*', Left: Num n } b:
                    rest = b.Right;
                    return n.Value;
                case Binary { Op: '*' } b when Coefficient(b.Left, out var inner) is { } c && inner is not null && c != 1:
                    rest = new Binary('*', inner, b.Right);
                    return c;
                case NegOf neg when Coefficient(neg.Operand, out var inner) is { } c:
                    rest = inner;
                    return -c;
                case Num:
                    rest = null;
                    return null;
                default:
                    rest = s;
                    return 1;
            }
        }

        public static Sym Sub(Sym a, Sym b)
        {
            if (b.IsZero)
            {
                return a;
            }

            if (a.IsZero)
            {
                return Neg(b);
            }

            if (a is Num x && b is Num y)
            {
                return N(x.Value - y.Value);
            }

            if (b is NegOf nb)
            {
                return Add(a, nb.Operand);
            }

            if (Coefficient(a, out var restA) is { } ca && Coefficient(b, out var restB) is { } cb && restA == restB && ca - cb != 0)
            {
                return Scaled(ca - cb, restA!);
            }

            return new Binary('-', a, b);
        }

        public static Sym Mul(Sym a, Sym b)
        {
            if (a.IsZero || b.IsZero)
            {
                return Zero;
            }

            if (a.IsOne)
            {
                return b;
            }

            if (b.IsOne)
            {
                return a;
            }

            if (a is Num { Value: -1 })
            {
                return Neg(b);
            }

            if (b is Num { Value: -1 })
            {
                return Neg(a);
            }

            if (a is Num x && b is Num y)
            {
                return N(x.Value * y.Value);
            }

            if (a is NegOf na && b is NegOf nb)
            {
                return Mul(na.Operand, nb.Operand);
            }

            if (a is NegOf n1)
            {
                return Neg(Mul(n1.Operand, b));
            }

            if (b is NegOf n2)
            {
                return Neg(Mul(a, n2.Operand));
            }

            // Constants first: 2·x rather than x·2, and 2·(3·x) → 6·x.
            if (b is Num && a is not Num)
            {
                return Mul(b, a);
            }

            if (a is Num c && b is Binary { Op: '*', Left: Num d } inner)
            {
                return Mul(N(c.Value * d.Value), inner.Right);
            }

            // g·(1/b) → g/b and g·(a/b) → g·a/b: reads like a hand-written derivative.
            if (b is Binary { Op: '/' } quotient)
            {
                return Div(Mul(a, quotient.Left), quotient.Right);
            }

            // (c/x)·y → c·y/x: the derivative of log(t) along ṫ = n/d is then n/(d·t), one division, not two.
            if (a is Binary { Op: '/', Left: Num } reciprocal)
            {
                return Div(Mul(reciprocal.Left, b), reciprocal.Right);
            }

            // Left-associate products: 2·g·x rather than 2·(g·x).
            if (b is Binary { Op: '*' } product)
            {
                var left = Mul(a, product.Left);
                return left is NegOf negative ? Neg(new Binary('*', negative.Operand, product.Right)) : new Binary('*', left, product.Right);
            }

            return new Binary('*', a, b);
        }

        public static Sym Div(Sym a, Sym b)
        {
            if (b.IsOne)
            {
                return a;
            }

            if (a.IsZero)
            {
                return Zero;
            }

            if (a is NegOf na)
            {
                return Neg(Div(na.Operand, b));
            }

            if (a is Binary { Op: '/' } quotient && b is not Num)
            {
                // (x / y) / z is x / (y·z): the product can run before x is known, leaving one division on the path.
                return new Binary('/', quotient.Left, Mul(quotient.Right, b));
            }

            return new Binary('/', a, b);
        }

        public static Sym Neg(Sym a) => a switch
        {
            Num n => N(-n.Value),
            NegOf n => n.Operand,
            Binary { Op: '-' } b => new Binary('-', b.Right, b.Left),
            _ => new NegOf(a),
        };

        public static Sym Call(string function, params Sym[] args) => new Apply(function, args);

        public static Sym Raw(string text, int precedence = Precedence.Atom) => new Verbatim(text, precedence);

        /// <summary>Prints as C#.</summary>
        public string ToCSharp(ScalarType type) => Print(this, type, csharp: true, Precedence.Lowest);

        /// <summary>Prints as mathematics for doc comments: · for products, − for minus.</summary>
        public string ToMath() => Print(this, ScalarType.Double, csharp: false, Precedence.Lowest);

        private static string Print(Sym sym, ScalarType type, bool csharp, int context)
        {
            switch (sym)
            {
                case Num n:
                    return n.Value < 0 && context > Precedence.Additive
                        ? "(" + Literal(n.Value, type, csharp) + ")"
                        : Literal(n.Value, type, csharp);
                case Atom a:
                    return a.Name;
                case Verbatim v:
                    return v.Level < context ? "(" + v.Text + ")" : v.Text;
                case NegOf neg:
                    string operand = Print(neg.Operand, type, csharp, Precedence.Unary);
                    string inner = "-" + (operand.StartsWith("-", StringComparison.Ordinal) ? "(" + operand + ")" : operand);
                    if (!csharp)
                    {
                        inner = "\u2212" + inner.Substring(1);
                    }

                    return context > Precedence.Additive ? "(" + inner + ")" : inner;
                case Binary b:
                    int precedence = b.Op is '+' or '-' ? Precedence.Additive : Precedence.Multiplicative;
                    string left = Print(b.Left, type, csharp, precedence);
                    string right = Print(b.Right, type, csharp, precedence + 1);
                    string op = b.Op switch
                    {
                        '*' => csharp ? " * " : "\u00b7",
                        '-' => csharp ? " - " : " \u2212 ",
                        '+' => " + ",
                        '%' => " % ",
                        _ => csharp ? " / " : "/",
                    };
                    string text = left + op + right;
                    return precedence < context ? "(" + text + ")" : text;
                case Apply call:
                    var parts = new string[call.Args.Length];
                    for (int i = 0; i < parts.Length; i++)
                    {
                        parts[i] = Print(call.Args[i], type, csharp, Precedence.Lowest);
                    }

                    return call.Function + "(" + string.Join(", ", parts) + ")";
                default:
                    throw new InvalidOperationException("unknown symbol");
            }
        }

        private static readonly char[] s_pointOrExponent = { '.', 'E', 'e' };

        /// <summary>A literal that round-trips and does not depend on the culture (a U+2212 minus must never appear in code).</summary>
        public static string Literal(double value, ScalarType type, bool csharp = true)
        {
            if (type == ScalarType.Int)
            {
                return ((long)value).ToString(CultureInfo.InvariantCulture);
            }

            if (type == ScalarType.Bool)
            {
                return value != 0 ? "true" : "false";
            }

            if (double.IsNaN(value))
            {
                return type == ScalarType.Float ? "float.NaN" : "double.NaN";
            }

            if (double.IsInfinity(value))
            {
                string name = value > 0 ? "PositiveInfinity" : "NegativeInfinity";
                return (type == ScalarType.Float ? "float." : "double.") + name;
            }

            string text = type == ScalarType.Float
                ? ((float)value).ToString("R", CultureInfo.InvariantCulture)
                : value.ToString("R", CultureInfo.InvariantCulture);
            if (text.IndexOfAny(s_pointOrExponent) < 0)
            {
                text += ".0";
            }

            if (!csharp)
            {
                return text.EndsWith(".0", StringComparison.Ordinal) ? text.Substring(0, text.Length - 2) : text;
            }

            return type == ScalarType.Float ? text + "f" : text;
        }

        internal static class Precedence
        {
            public const int Lowest = 0;
            public const int Conditional = 1;
            public const int OrElse = 2;
            public const int AndAlso = 3;
            public const int Equality = 4;
            public const int Relational = 5;
            public const int Additive = 6;
            public const int Multiplicative = 7;
            public const int Unary = 8;
            public const int Atom = 9;
        }
    }

    internal sealed record Num(double Value) : Sym;

    internal sealed record Atom(string Name) : Sym;

    internal sealed record Verbatim(string Text, int Level) : Sym;

    internal sealed record NegOf(Sym Operand) : Sym;

    internal sealed record Binary(char Op, Sym Left, Sym Right) : Sym;

    internal sealed record Apply(string Function, Sym[] Args) : Sym
    {
        public bool Equals(Apply? other)
        {
            if (other is null || other.Function != Function || other.Args.Length != Args.Length)
            {
                return false;
            }

            for (int i = 0; i < Args.Length; i++)
            {
                if (!Args[i].Equals(other.Args[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override int GetHashCode() => Function.GetHashCode() ^ Args.Length;
    }
}
