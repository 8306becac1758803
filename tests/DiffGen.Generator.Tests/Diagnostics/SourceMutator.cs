using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.Generator.Tests.Diagnostics
{
    /// <summary>
    /// Turns a valid C# source into the states it passes through while someone edits it: deleted token ranges,
    /// truncated bodies, swapped operators, missing semicolons and braces, renamed identifiers, changed types and
    /// modifiers, and inserted statements or members that DiffGen does not support (goto, try, lambdas, field writes,
    /// recursion, buffers in loops, ...). Everything is driven by the <see cref="Random"/> passed in, so a seed
    /// reproduces a mutation exactly.
    /// </summary>
    internal static class SourceMutator
    {
        private delegate string? Mutation(string text, SyntaxNode root, Random random, List<string> log);

        private static readonly (Mutation Apply, int Weight)[] s_mutations =
        {
            (DeleteTokens, 12),
            (Truncate, 8),
            (SwapOperator, 10),
            (RemovePunctuation, 10),
            (RenameIdentifier, 10),
            (InsertStatement, 18),
            (InsertMember, 6),
            (ChangeTypeOrModifier, 10),
            (DuplicateRange, 5),
            (CharacterNoise, 6),
            (SwapStatements, 4),
            (WrapStatement, 7),
        };

        private static readonly int s_totalWeight = s_mutations.Sum(m => m.Weight);

        /// <summary>Applies one to three mutations; <paramref name="description"/> says which, for the failure report.</summary>
        public static string Mutate(string source, Random random, out string description)
        {
            int count = random.Next(4) == 0 ? random.Next(2, 4) : 1;
            var log = new List<string>();
            string text = source;
            for (int i = 0; i < count; i++)
            {
                text = MutateOnce(text, random, log);
            }

            description = string.Join("; ", log);
            return text;
        }

        private static string MutateOnce(string text, Random random, List<string> log)
        {
            var root = CSharpSyntaxTree.ParseText(text, GeneratorHarnessParseOptions).GetRoot();
            for (int attempt = 0; attempt < 8; attempt++)
            {
                int pick = random.Next(s_totalWeight);
                foreach (var (apply, weight) in s_mutations)
                {
                    if (pick < weight)
                    {
                        string? result = apply(text, root, random, log);
                        if (result is not null)
                        {
                            return result;
                        }

                        break;
                    }

                    pick -= weight;
                }
            }

            log.Add("no mutation applied");
            return text;
        }

        private static CSharpParseOptions GeneratorHarnessParseOptions => Infrastructure.GeneratorHarness.ParseOptions;

        // ---------------------------------------------------------------- token-level edits

        private static List<SyntaxToken> Tokens(SyntaxNode root) =>
            root.DescendantTokens().Where(t => !t.IsKind(SyntaxKind.EndOfFileToken) && t.Span.Length > 0).ToList();

        private static string? DeleteTokens(string text, SyntaxNode root, Random random, List<string> log)
        {
            var tokens = PreferBodies(root, random) is { Count: > 0 } body && random.Next(4) != 0 ? body : Tokens(root);
            if (tokens.Count == 0)
            {
                return null;
            }

            int first = random.Next(tokens.Count);
            int length = random.Next(3) == 0 ? random.Next(1, 12) : random.Next(1, 4);
            int last = Math.Min(tokens.Count - 1, first + length - 1);
            int start = tokens[first].SpanStart;
            int end = tokens[last].Span.End;
            log.Add($"delete tokens '{Short(text.Substring(start, end - start))}' at {start}");
            return text.Remove(start, end - start);
        }

        /// <summary>The tokens inside method bodies (where most typing happens), or null when there are none.</summary>
        private static List<SyntaxToken>? PreferBodies(SyntaxNode root, Random random)
        {
            var methods = Methods(root);
            if (methods.Count == 0)
            {
                return null;
            }

            var method = methods[random.Next(methods.Count)];
            SyntaxNode? body = (SyntaxNode?)method.Body ?? method.ExpressionBody;
            return body?.DescendantTokens().Where(t => t.Span.Length > 0).ToList();
        }

        private static string? Truncate(string text, SyntaxNode root, Random random, List<string> log)
        {
            var methods = Methods(root).Where(m => m.Body is not null || m.ExpressionBody is not null).ToList();
            if (methods.Count == 0)
            {
                return null;
            }

            var method = methods[random.Next(methods.Count)];
            SyntaxNode body = (SyntaxNode?)method.Body ?? method.ExpressionBody!;
            var tokens = body.DescendantTokens().Where(t => t.Span.Length > 0).ToList();
            if (tokens.Count < 2)
            {
                return null;
            }

            var token = tokens[random.Next(1, tokens.Count)];
            int cut = random.Next(2) == 0 ? token.SpanStart : token.Span.End;
            string prefix = text.Substring(0, cut);
            switch (random.Next(4))
            {
                case 0:
                    log.Add($"truncate file at {cut}");
                    return prefix;
                case 1:
                    var prefixTokens = Tokens(CSharpSyntaxTree.ParseText(prefix, GeneratorHarnessParseOptions).GetRoot());
                    int open = prefixTokens.Count(t => t.IsKind(SyntaxKind.OpenBraceToken)) - prefixTokens.Count(t => t.IsKind(SyntaxKind.CloseBraceToken));
                    log.Add($"truncate at {cut} and close {open} braces");
                    return prefix + "\n" + string.Concat(Enumerable.Repeat("}\n", Math.Max(0, open)));
                default:
                    // Typing in the middle of a body: the rest of the body is gone but the closing brace and the rest of the file stay.
                    int resume = method.Body is not null ? method.Body.CloseBraceToken.SpanStart : method.SemicolonToken.SpanStart;
                    if (resume < cut || method.SemicolonToken.IsMissing && method.Body is null)
                    {
                        return null;
                    }

                    log.Add($"cut body of {method.Identifier.Text} from {cut} to {resume}");
                    return prefix + "\n" + text.Substring(resume);
            }
        }

        private static readonly SyntaxKind[] s_operatorKinds =
        {
            SyntaxKind.PlusToken, SyntaxKind.MinusToken, SyntaxKind.AsteriskToken, SyntaxKind.SlashToken, SyntaxKind.PercentToken,
            SyntaxKind.LessThanToken, SyntaxKind.GreaterThanToken, SyntaxKind.LessThanEqualsToken, SyntaxKind.GreaterThanEqualsToken,
            SyntaxKind.EqualsEqualsToken, SyntaxKind.ExclamationEqualsToken, SyntaxKind.AmpersandAmpersandToken, SyntaxKind.BarBarToken,
            SyntaxKind.ExclamationToken, SyntaxKind.EqualsToken, SyntaxKind.PlusEqualsToken, SyntaxKind.MinusEqualsToken,
            SyntaxKind.AsteriskEqualsToken, SyntaxKind.SlashEqualsToken, SyntaxKind.PlusPlusToken, SyntaxKind.MinusMinusToken,
            SyntaxKind.QuestionToken, SyntaxKind.ColonToken, SyntaxKind.EqualsGreaterThanToken,
        };

        private static readonly string[] s_operatorPool =
        {
            "+", "-", "*", "/", "%", "<", ">", "<=", ">=", "==", "!=", "&&", "||", "&", "|", "^", "<<", ">>", ">>>", "??", "=", "+=", "-=",
            "*=", "/=", "%=", "&=", "|=", "^=", "<<=", "??=", "++", "--", "!", "~", "=>", "?", ":", "?.", "..", " is ", " as ", " with ",
        };

        private static string? SwapOperator(string text, SyntaxNode root, Random random, List<string> log)
        {
            var operators = Tokens(root).Where(t => s_operatorKinds.Contains(t.Kind())).ToList();
            if (operators.Count == 0)
            {
                return null;
            }

            var token = operators[random.Next(operators.Count)];
            string replacement = s_operatorPool[random.Next(s_operatorPool.Length)];
            log.Add($"operator '{token.Text}' -> '{replacement.Trim()}' at {token.SpanStart}");
            return Replace(text, token.Span.Start, token.Span.Length, replacement);
        }

        private static string? RemovePunctuation(string text, SyntaxNode root, Random random, List<string> log)
        {
            var kinds = random.Next(3) switch
            {
                0 => new[] { SyntaxKind.SemicolonToken },
                1 => new[] { SyntaxKind.OpenBraceToken, SyntaxKind.CloseBraceToken },
                _ => new[] { SyntaxKind.OpenParenToken, SyntaxKind.CloseParenToken, SyntaxKind.CommaToken, SyntaxKind.OpenBracketToken, SyntaxKind.CloseBracketToken, SyntaxKind.DotToken },
            };
            var tokens = Tokens(root).Where(t => kinds.Contains(t.Kind())).ToList();
            if (tokens.Count == 0)
            {
                return null;
            }

            var token = tokens[random.Next(tokens.Count)];
            log.Add($"remove '{token.Text}' at {token.SpanStart}");
            return text.Remove(token.SpanStart, token.Span.Length);
        }

        private static readonly string[] s_oddNames = { "var", "dynamic", "value", "nameof", "await", "_", "global", "Math", "System", "this", "@double", "MathF", "DiffMath", "Span" };

        private static string? RenameIdentifier(string text, SyntaxNode root, Random random, List<string> log)
        {
            var identifiers = Tokens(root).Where(t => t.IsKind(SyntaxKind.IdentifierToken)).ToList();
            if (identifiers.Count == 0)
            {
                return null;
            }

            var token = identifiers[random.Next(identifiers.Count)];
            string name;
            switch (random.Next(6))
            {
                case 0:
                    name = "q" + random.Next(1000).ToString(CultureInfo.InvariantCulture);
                    break;
                case 1:
                case 2:
                    name = identifiers[random.Next(identifiers.Count)].Text;
                    break;
                case 3:
                    var methods = Methods(root);
                    name = methods.Count > 0 ? methods[random.Next(methods.Count)].Identifier.Text + (random.Next(2) == 0 ? "Gradient" : "Backward") : "FGradient";
                    break;
                case 4:
                    name = token.Parent?.FirstAncestorOrSelf<MethodDeclarationSyntax>()?.Identifier.Text ?? "F";
                    break;
                default:
                    name = s_oddNames[random.Next(s_oddNames.Length)];
                    break;
            }

            if (random.Next(5) < 2)
            {
                // A consistent rename of every occurrence (often still valid code).
                string old = token.Text;
                var all = identifiers.Where(t => t.Text == old).OrderByDescending(t => t.SpanStart).ToList();
                log.Add($"rename all '{old}' -> '{name}'");
                foreach (var t in all)
                {
                    text = Replace(text, t.SpanStart, t.Span.Length, name);
                }

                return text;
            }

            log.Add($"rename '{token.Text}' -> '{name}' at {token.SpanStart}");
            return Replace(text, token.SpanStart, token.Span.Length, name);
        }

        private static string? DuplicateRange(string text, SyntaxNode root, Random random, List<string> log)
        {
            var tokens = Tokens(root);
            if (tokens.Count < 2)
            {
                return null;
            }

            int first = random.Next(tokens.Count);
            int last = Math.Min(tokens.Count - 1, first + random.Next(0, 20));
            string copy = text.Substring(tokens[first].SpanStart, tokens[last].Span.End - tokens[first].SpanStart);
            int at = tokens[random.Next(tokens.Count)].Span.End;
            log.Add($"duplicate '{Short(copy)}' at {at}");
            return text.Insert(at, " " + copy + " ");
        }

        private static readonly string[] s_noise =
        {
            "\"", "'", "{", "}", "(", ")", "[", "]", ";", ",", ".", "<", ">", "=", "+", "-", "*", "/", "\\", "@", "#", "$", "?", ":", "!", "&", "|",
            "/*", "//", "\n#if X\n", "\n#endif\n", "\n#region\n", "\n#pragma warning disable\n", "\"\"\"", "@\"", "$\"", "0", "1e", "0x", "x", " ", "\n",
        };

        private static string? CharacterNoise(string text, SyntaxNode root, Random random, List<string> log)
        {
            if (text.Length == 0)
            {
                return s_noise[random.Next(s_noise.Length)];
            }

            int at = random.Next(text.Length);
            if (random.Next(2) == 0)
            {
                log.Add($"delete char '{Short(text.Substring(at, 1))}' at {at}");
                return text.Remove(at, 1);
            }

            string noise = s_noise[random.Next(s_noise.Length)];
            log.Add($"insert '{Short(noise)}' at {at}");
            return text.Insert(at, noise);
        }

        // ---------------------------------------------------------------- statements

        private static List<MethodDeclarationSyntax> Methods(SyntaxNode root) => root.DescendantNodes().OfType<MethodDeclarationSyntax>().ToList();

        private static bool IsDifferentiable(MethodDeclarationSyntax method) =>
            method.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString().Contains("Differentiable", StringComparison.Ordinal));

        /// <summary>A method to edit, preferring [Differentiable] ones.</summary>
        private static MethodDeclarationSyntax? PickMethod(SyntaxNode root, Random random, bool needsBlock)
        {
            var all = Methods(root).Where(m => !needsBlock || m.Body is not null).ToList();
            var differentiable = all.Where(IsDifferentiable).ToList();
            var pool = differentiable.Count > 0 && random.Next(5) != 0 ? differentiable : all;
            return pool.Count == 0 ? null : pool[random.Next(pool.Count)];
        }

        private sealed record Scope(string P, string A, string M, string Args, string N);

        private static Scope ScopeOf(MethodDeclarationSyntax method, Random random)
        {
            var parameters = method.ParameterList.Parameters;
            var scalars = parameters.Where(p => p.Type?.ToString() is "double" or "float").Select(p => p.Identifier.Text).ToList();
            var buffers = parameters.Where(p => p.Type?.ToString() is { } t && (t.Contains('[') || t.Contains("Span", StringComparison.Ordinal))).Select(p => p.Identifier.Text).ToList();
            var locals = method.Body?.DescendantNodes().OfType<VariableDeclarationSyntax>()
                .Where(d => d.Type.ToString() is "double" or "var" && d.Parent is LocalDeclarationStatementSyntax)
                .SelectMany(d => d.Variables).Select(v => v.Identifier.Text).ToList() ?? new List<string>();
            string p = scalars.Count > 0 && random.Next(4) != 0 ? scalars[random.Next(scalars.Count)]
                : locals.Count > 0 ? locals[random.Next(locals.Count)]
                : scalars.Count > 0 ? scalars[0] : "x";
            string a = buffers.Count > 0 ? buffers[random.Next(buffers.Count)] : p;
            string args = string.Join(", ", parameters.Select(x => x.Identifier.Text));
            return new Scope(p, a, method.Identifier.Text, args, random.Next(100).ToString(CultureInfo.InvariantCulture));
        }

        private static string Fill(string template, Scope s) => template
            .Replace("{p}", s.P, StringComparison.Ordinal)
            .Replace("{a}", s.A, StringComparison.Ordinal)
            .Replace("{m}", s.M, StringComparison.Ordinal)
            .Replace("{args}", s.Args, StringComparison.Ordinal)
            .Replace("{n}", s.N, StringComparison.Ordinal);

        /// <summary>A statement to insert, and optionally a member it needs (inserted into the same type).</summary>
        private static readonly (string Statement, string? Member)[] s_statements =
        {
            ("goto L{n}; L{n}: ;", null),
            ("L{n}: {p} = {p} * 2;", null),
            ("try { {p} = {p} * 2; } catch { }", null),
            ("try { } finally { {p} += 1; }", null),
            ("System.Func<double, double> f{n} = q => q * {p};", null),
            ("System.Func<double, double> f{n} = delegate (double q) { return q; }; {p} = f{n}({p});", null),
            ("throw new System.InvalidOperationException();", null),
            ("if ({p} < -1e300) throw new System.ArgumentException(nameof({p}));", null),
            ("lock (typeof(object)) { {p} = {p} + 1; }", null),
            ("using (var d{n} = new System.IO.MemoryStream()) { }", null),
            ("switch ((int){p}) { case 0: {p} = 1; break; default: break; }", null),
            ("{p} = (int){p} switch { 0 => {p}, _ => 2 * {p} };", null),
            ("double Local{n}(double q) => q * q; {p} = Local{n}({p});", null),
            ("static double Local{n}(double q) { return q; }", null),
            ("{p} = {m}({args});", null),
            ("for (int k{n} = 0; k{n} < 3; k{n}++) { var b{n} = new double[2]; b{n}[0] = {p}; {p} += b{n}[0]; }", null),
            ("if ({p} > 0) { System.Span<double> s{n} = stackalloc double[3]; s{n}[0] = {p}; }", null),
            ("{p} = {p} is > 0 ? {p} : 0;", null),
            ("var (u{n}, v{n}) = ({p}, {p}); {p} = u{n} * v{n};", null),
            ("{p} = checked({p} * 2);", null),
            ("unchecked { {p} = {p} + 1; }", null),
            ("yield return {p};", null),
            ("await System.Threading.Tasks.Task.Yield();", null),
            ("return;", null),
            ("return {p};", null),
            ("break;", null),
            ("continue;", null),
            (";", null),
            ("{ }", null),
            ("if ({p} < 0) return 0;", null),
            ("while ({p} > 1e9) { {p} *= 0.5; }", null),
            ("while (true) { break; }", null),
            ("for (;;) { }", null),
            ("do { {p} -= 1; } while ({p} > 100);", null),
            ("int[] idx{n} = new int[3]; idx{n}[0] = 1;", null),
            ("System.Console.WriteLine({p});", null),
            ("_ = System.Math.Sin({p});", null),
            ("System.Math.Sin({p});", null),
            ("var s{n} = $\"{{p}}\";", null),
            ("object o{n} = {p};", null),
            ("ref double r{n} = ref {p}; r{n} = 1;", null),
            ("dynamic d{n} = {p}; {p} = d{n};", null),
            ("{p} = {p}.CompareTo(1.0);", null),
            ("{p} = double.Parse(\"1\");", null),
            ("{p} = System.Math.Round({p}, 2);", null),
            ("{p} = System.Math.Floor({p}) + {p};", null),
            ("{p} = System.Math.Sign({p}) * {p};", null),
            ("{p} = System.Math.BitIncrement({p});", null),
            ("{p} = {a}[^1];", null),
            ("{p} = {a}[0..1][0];", null),
            ("{a}[0] = {p};", null),
            ("{a}[0] += {p};", null),
            ("{a}[0]++;", null),
            ("{p}++;", null),
            ("{p} = ++{p} * {p}--;", null),
            ("{p} = {p} = {p} * 2;", null),
            ("{p} = new System.Random(1).NextDouble();", null),
            ("{p} = System.DateTime.Now.Second;", null),
            ("{p} += s_fuzz{n};", "private static double s_fuzz{n} = 1;"),
            ("{p} *= Prop{n};", "private static double Prop{n} { get; set; } = 2;"),
            ("s_fuzz{n} = {p};", "private static double s_fuzz{n};"),
            ("s_fuzz{n} += {p};", "private static double s_fuzz{n};"),
            ("{p} = Helper{n}({p});", "private static double Helper{n}(double v) => v * v;"),
            ("{p} = Helper{n}({p});", "[Differentiable] private static double Helper{n}(double v) => v * v + 1;"),
            ("{p} = Helper{n}({p}, 2);", "[Differentiable] private static double Helper{n}(double v, [NoDiff] int k) { double s = 0; for (int i = 0; i < k; i++) { s += v; } return s; }"),
            ("{p} = Helper{n}({p});", "private static double Helper{n}(double v) => v;\n[DerivativeOf(nameof(Helper{n}))] private static double Helper{n}Backward(double v, double seed, ref double dV) { dV += seed; return v; }"),
            ("{p} = Helper{n}({p});", "private static double Helper{n}(double v) => v;\n[DerivativeOf(nameof(Helper{n}))] private static double Helper{n}Backward(double v, ref double dV) { return v; }"),
            ("{p} = Helper{n}(ref {p});", "private static double Helper{n}(ref double v) => v;"),
            ("{p} = Helper{n}({p});", "private static T Helper{n}<T>(T v) => v;"),
            ("{p} = new Box{n}().Value;", "private sealed class Box{n} { public double Value = 1; }"),
            ("#if DEBUG\n{p} = 1;\n#endif", null),
            ("fixed (double* q{n} = {a}) { }", null),
            ("{p} = (double)(object){p};", null),
            ("{p} = ({p} as object) is double dd{n} ? dd{n} : 0;", null),
            ("{p} = {p} ?? 0;", null),
            ("{p} = nameof({p}).Length;", null),
            ("{p} = sizeof(double);", null),
            ("{p} = default;", null),
            ("{p} = new[] { {p}, 1.0 }[0];", null),
            ("double[] arr{n} = { {p}, 2 }; {p} = arr{n}[1] * arr{n}[0];", null),
            ("double[,] mat{n} = new double[2, 2]; mat{n}[1, 1] = {p}; {p} = mat{n}[1, 1] + mat{n}.GetLength(0);", null),
            ("System.Span<double> sp{n} = stackalloc double[4]; sp{n}[3] = {p}; {p} += sp{n}[3];", null),
            ("System.Span<double> sp{n} = new double[4]; {p} += sp{n}[0];", null),
            ("System.ReadOnlySpan<double> alias{n} = {a}; {p} += alias{n}[0];", null),
            ("foreach (var e{n} in new double[] { 1, 2 }) { {p} += e{n}; }", null),
            ("foreach (var e{n} in {a}) { {p} += e{n}; if (e{n} > 3) break; }", null),
            ("{p} = System.MathF.Sin((float){p});", null),
            ("{p} = (float){p} * 2f;", null),
            ("{p} = (long){p} * 2;", null),
            ("{p} = (decimal){p} > 1m ? {p} : 0;", null),
            ("bool flag{n} = {p} > 0 && !({p} < -1) || {p} == 3; if (flag{n}) {p} = -{p};", null),
            ("{p} = {p} > 0 ? (int){p} : {p} % 3;", null),
            ("{p} = DiffMath.Sigmoid({p}) + DiffMath.Relu({p});", null),
            ("{p} = DiffMath.Sum({a});", null),
            ("{p} = System.Math.Max({p}, System.Math.Min(1, {p})) + System.Math.Clamp({p}, 0, 1);", null),
            ("{p} = System.Math.Pow({p}, {p}) + System.Math.Log({p}, 3) + System.Math.Exp(-{p});", null),
        };

        private static string? InsertStatement(string text, SyntaxNode root, Random random, List<string> log)
        {
            var method = PickMethod(root, random, needsBlock: true);
            if (method?.Body is null)
            {
                return null;
            }

            var anchors = method.Body.DescendantNodesAndSelf().OfType<BlockSyntax>().ToList();
            var block = anchors[random.Next(anchors.Count)];
            int at = block.Statements.Count == 0 || random.Next(block.Statements.Count + 1) == 0
                ? block.OpenBraceToken.Span.End
                : block.Statements[random.Next(block.Statements.Count)].FullSpan.End;
            if (block.OpenBraceToken.IsMissing)
            {
                return null;
            }

            var scope = ScopeOf(method, random);
            var (statement, member) = s_statements[random.Next(s_statements.Length)];
            string filled = Fill(statement, scope);
            log.Add($"insert statement '{Short(filled)}' in {method.Identifier.Text}");
            string result = text.Insert(at, "\n" + filled + "\n");
            if (member is not null && method.Parent is TypeDeclarationSyntax type && !type.CloseBraceToken.IsMissing)
            {
                int typeEnd = type.CloseBraceToken.SpanStart;
                if (typeEnd >= at)
                {
                    typeEnd += filled.Length + 2;
                }

                log.Add($"with member '{Short(Fill(member, scope))}'");
                result = result.Insert(typeEnd, "\n" + Fill(member, scope) + "\n");
            }

            return result;
        }

        private static readonly string[] s_members =
        {
            "public static void {m}Gradient() { }",
            "public static int {m}Backward;",
            "[Differentiable] public double Inst{n}(double x) => x * x;",
            "[Differentiable] public static int I{n}(double x) => 1;",
            "[Differentiable] public static void V{n}(double x) { }",
            "[Differentiable] public static double G{n}<T>(double x) => x;",
            "[Differentiable] public static double R{n}(ref double x, out double y, in double z) { y = 0; return x + z; }",
            "[Differentiable] public static double J{n}(double[][] x) => x[0][0];",
            "[Differentiable] public static double S{n}(string s, long n, decimal d) => 0;",
            "[Differentiable] public static double E{n}(double x);",
            "[Differentiable] public static extern double X{n}(double x);",
            "[Differentiable] public static double A{n}(double x) { return A{n}(x - 1) * x; }",
            "[Differentiable] public static double {m}(float x) => x * x;",
            "[Differentiable] public static double {m}(double x, double y, double z) => x * y * z;",
            "[Differentiable] public static double Z{n}(double x) => System.Math.Floor(x) * x;",
            "[Differentiable(Modes = DiffModes.Forward)] public static double Fw{n}(double x) => x * System.Math.Sin(x);",
            "[Differentiable(Modes = DiffModes.Reverse | DiffModes.Hessian)] public static double Hs{n}(double x, double y) => x * y * y;",
            "[Differentiable(Modes = (DiffModes)0)] public static double M0{n}(double x) => x * x;",
            "[Differentiable(Modes = (DiffModes)255)] public static double M255{n}(double x) => x * x;",
            "[DerivativeOf(\"Missing{n}\")] public static double B{n}(double x, double seed, ref double dX) => x;",
            "[DerivativeOf(nameof({m}))] public static double B{n}(double x) => x;",
            "[DerivativeOf(typeof(System.Math), nameof(System.Math.Sin))] public static double SinB{n}(double x, double seed, ref double dX) { dX += seed * System.Math.Cos(x); return System.Math.Sin(x); }",
            "[DerivativeOf(typeof(System.Math), \"Sin\")][DerivativeOf(\"Nope{n}\")] public static double SinC{n}(double x, double seed, ref double dX) => x;",
            "public class Nested{n} { [Differentiable] public static double F(double x) => x * x; }",
            "public static partial class Nested{n} { [Differentiable] public static double F(double x) => x * x; }",
            "public partial struct Nested{n}<T> { [Differentiable] public static double F(double x) => x * x; }",
            "public partial record Nested{n}(double A) { [Differentiable] public static double F(double x) => x * x; }",
            "public partial interface INested{n} { [Differentiable] public static double F(double x) => x * x; }",
            "[Differentiable] public static double {m}Gradient(double x) => x;",
            "[Differentiable] public static double @double(double @in) => @in * 2;",
            "[Differentiable] public static double U{n}(double _, double d_, double dX) => _ * d_ * dX;",
            "[Differentiable] public static double W{n}(double w, double dW, double dW2) => w * dW * dW2;",
        };

        private static string? InsertMember(string text, SyntaxNode root, Random random, List<string> log)
        {
            var method = PickMethod(root, random, needsBlock: false);
            if (method?.Parent is not TypeDeclarationSyntax type || type.CloseBraceToken.IsMissing)
            {
                return null;
            }

            string member = s_members[random.Next(s_members.Length)];
            if (random.Next(6) == 0)
            {
                member = method.ToFullString(); // an exact duplicate (copy-paste)
            }

            string filled = Fill(member, ScopeOf(method, random));
            int at = random.Next(2) == 0 ? type.CloseBraceToken.SpanStart : method.FullSpan.Start;
            log.Add($"insert member '{Short(filled)}' into {type.Identifier.Text}");
            return text.Insert(at, "\n" + filled + "\n");
        }

        private static readonly string[] s_typePool =
        {
            "float", "double", "int", "long", "decimal", "string", "object", "dynamic", "var", "void", "bool", "double[]", "double[][]", "double[,]",
            "double[,,]", "double?", "System.Span<double>", "System.ReadOnlySpan<double>", "System.ReadOnlySpan<float>", "float[]", "int[]",
            "System.Numerics.Complex", "T", "Missing", "System.Collections.Generic.List<double>", "(double, double)", "ref double", "double*",
        };

        private static readonly string[] s_methodModifiers = { "async ", "extern ", "unsafe ", "abstract ", "virtual ", "new ", "override ", "sealed ", "ref ", "readonly ", "static ", "partial ", "public ", "private " };

        private static readonly string[] s_parameterModifiers = { "ref ", "out ", "in ", "params ", "this ", "scoped ", "[NoDiff] ", "[Differentiable] ", "[NoDiff, NoDiff] " };

        private static readonly string[] s_attributes =
        {
            "[Differentiable]", "[Differentiable(Modes = DiffModes.Forward)]", "[Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward | DiffModes.Hessian)]",
            "[Differentiable(Modes = (DiffModes)0)]", "[NoDiff]", "[DerivativeOf(\"F\")]", "[Differentiable, Differentiable]", "", "[Differentiable(]",
        };

        private static string? ChangeTypeOrModifier(string text, SyntaxNode root, Random random, List<string> log)
        {
            var tokens = Tokens(root);
            switch (random.Next(7))
            {
                case 0:
                {
                    // Remove a modifier (static, partial, ...).
                    var modifiers = tokens.Where(t => t.Parent is MemberDeclarationSyntax && SyntaxFacts.IsKeywordKind(t.Kind())
                        && (t.IsKind(SyntaxKind.StaticKeyword) || t.IsKind(SyntaxKind.PartialKeyword) || t.IsKind(SyntaxKind.PublicKeyword)
                            || t.IsKind(SyntaxKind.PrivateKeyword) || t.IsKind(SyntaxKind.InternalKeyword) || t.IsKind(SyntaxKind.ReadOnlyKeyword)
                            || t.IsKind(SyntaxKind.ConstKeyword))).ToList();
                    if (modifiers.Count == 0)
                    {
                        return null;
                    }

                    var m = modifiers[random.Next(modifiers.Count)];
                    log.Add($"remove modifier '{m.Text}' at {m.SpanStart}");
                    return text.Remove(m.SpanStart, m.Span.Length);
                }

                case 1:
                {
                    var method = PickMethod(root, random, needsBlock: false);
                    if (method is null)
                    {
                        return null;
                    }

                    string modifier = s_methodModifiers[random.Next(s_methodModifiers.Length)];
                    log.Add($"add modifier '{modifier.Trim()}' to {method.Identifier.Text}");
                    return text.Insert(method.ReturnType.SpanStart, modifier);
                }

                case 2:
                {
                    // Change a type: a return type, a parameter type, a local's type.
                    var types = root.DescendantNodes().OfType<TypeSyntax>()
                        .Where(t => t.Parent is MethodDeclarationSyntax or ParameterSyntax or VariableDeclarationSyntax or CastExpressionSyntax or ArrayTypeSyntax).ToList();
                    if (types.Count == 0)
                    {
                        return null;
                    }

                    var type = types[random.Next(types.Count)];
                    string replacement = s_typePool[random.Next(s_typePool.Length)];
                    log.Add($"type '{type}' -> '{replacement}' at {type.SpanStart}");
                    return Replace(text, type.SpanStart, type.Span.Length, replacement);
                }

                case 3:
                {
                    var parameters = root.DescendantNodes().OfType<ParameterSyntax>().Where(p => p.Type is not null).ToList();
                    if (parameters.Count == 0)
                    {
                        return null;
                    }

                    var parameter = parameters[random.Next(parameters.Count)];
                    string modifier = s_parameterModifiers[random.Next(s_parameterModifiers.Length)];
                    log.Add($"add '{modifier.Trim()}' to parameter {parameter.Identifier.Text}");
                    return text.Insert(parameter.Type!.SpanStart, modifier);
                }

                case 4:
                {
                    // Remove or replace an attribute list ([NoDiff], [Differentiable], [DerivativeOf]).
                    var lists = root.DescendantNodes().OfType<AttributeListSyntax>().ToList();
                    if (lists.Count == 0)
                    {
                        return null;
                    }

                    var list = lists[random.Next(lists.Count)];
                    string replacement = random.Next(3) == 0 ? string.Empty : s_attributes[random.Next(s_attributes.Length)];
                    log.Add($"attribute '{list}' -> '{replacement}'");
                    return Replace(text, list.SpanStart, list.Span.Length, replacement);
                }

                case 5:
                {
                    var method = PickMethod(root, random, needsBlock: false);
                    if (method is null)
                    {
                        return null;
                    }

                    log.Add($"make {method.Identifier.Text} generic");
                    return text.Insert(method.Identifier.Span.End, random.Next(2) == 0 ? "<T>" : "<T, U> ");
                }

                default:
                {
                    // Remove a parameter, or add one.
                    var lists = root.DescendantNodes().OfType<ParameterListSyntax>().Where(l => l.Parent is MethodDeclarationSyntax).ToList();
                    if (lists.Count == 0)
                    {
                        return null;
                    }

                    var list = lists[random.Next(lists.Count)];
                    if (list.Parameters.Count > 0 && random.Next(2) == 0)
                    {
                        var p = list.Parameters[random.Next(list.Parameters.Count)];
                        log.Add($"remove parameter '{p}'");
                        return text.Remove(p.SpanStart, p.Span.Length);
                    }

                    string added = random.Next(3) switch { 0 => "double extra", 1 => "[NoDiff] double[] data", _ => "int count" };
                    log.Add($"add parameter '{added}'");
                    return text.Insert(list.CloseParenToken.SpanStart, (list.Parameters.Count > 0 ? ", " : string.Empty) + added);
                }
            }
        }

        private static string? SwapStatements(string text, SyntaxNode root, Random random, List<string> log)
        {
            var method = PickMethod(root, random, needsBlock: true);
            var blocks = method?.Body?.DescendantNodesAndSelf().OfType<BlockSyntax>().Where(b => b.Statements.Count >= 2).ToList();
            if (blocks is null || blocks.Count == 0)
            {
                return null;
            }

            var block = blocks[random.Next(blocks.Count)];
            int i = random.Next(block.Statements.Count - 1);
            var first = block.Statements[i];
            var second = block.Statements[i + 1];
            log.Add($"swap statements '{Short(first.ToString())}' and '{Short(second.ToString())}'");
            string a = first.ToString();
            string b = second.ToString();
            text = Replace(text, second.SpanStart, second.Span.Length, a);
            return Replace(text, first.SpanStart, first.Span.Length, b);
        }

        private static readonly string[] s_wrappers =
        {
            "if ({p} > 0) { {S} }", "if ({p} > 0) { {S} } else { {S} }", "for (int w{n} = 0; w{n} < 2; w{n}++) { {S} }", "while ({p} < 0) { {S} }",
            "do { {S} } while (false);", "{ {S} }", "foreach (var e{n} in {a}) { {S} }", "try { {S} } catch { }", "unchecked { {S} }",
            "lock (typeof(object)) { {S} }", "for (int w{n} = 0; w{n} < 5; w{n}++) { if (w{n} == 3) break; {S} }", "while (true) { {S} break; }",
        };

        private static string? WrapStatement(string text, SyntaxNode root, Random random, List<string> log)
        {
            var method = PickMethod(root, random, needsBlock: true);
            var statements = method?.Body?.DescendantNodes().OfType<StatementSyntax>().Where(s => s.Parent is BlockSyntax).ToList();
            if (statements is null || statements.Count == 0)
            {
                return null;
            }

            var statement = statements[random.Next(statements.Count)];
            string wrapper = Fill(s_wrappers[random.Next(s_wrappers.Length)], ScopeOf(method!, random));
            string wrapped = wrapper.Replace("{S}", statement.ToString(), StringComparison.Ordinal);
            log.Add($"wrap '{Short(statement.ToString())}' in '{Short(wrapper)}'");
            return Replace(text, statement.SpanStart, statement.Span.Length, wrapped);
        }

        // ---------------------------------------------------------------- helpers

        private static string Replace(string text, int start, int length, string replacement) =>
            text.Substring(0, start) + replacement + text.Substring(start + length);

        private static string Short(string text)
        {
            text = text.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal);
            return text.Length > 60 ? text.Substring(0, 57) + "..." : text;
        }
    }
}
