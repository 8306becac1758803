using System.Collections.Generic;
using DiffGen.Generator.FrontEnd;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Passes
{
    /// <summary>The tangent (forward-mode) program of a method, and where its pieces are.</summary>
    /// <param name="PrimalResult">The variable holding the method's value.</param>
    /// <param name="TangentResult">The variable holding the directional derivative ∇f·v.</param>
    /// <param name="TangentParameters">For each active parameter, in order, the variable of its tangent.</param>
    /// <param name="Unsupported">Where the transform met something it cannot differentiate forward (null when none).</param>
    /// <param name="OutputTangent">For a vector-valued method, the variable of its [Output] span's tangent (else -1).</param>
    /// <param name="NamedTangents">Each named variable (parameter, local, buffer) with the variable of its tangent, <c>x</c> with <c>xDot</c>.</param>
    internal sealed record TangentProgram(
        IrProgram Program,
        int PrimalResult,
        int TangentResult,
        EquatableArray<int> TangentParameters,
        LocationInfo? Unsupported,
        int OutputTangent,
        EquatableArray<(int Primal, int Tangent)> NamedTangents);

    /// <summary>
    /// Forward mode as an IR-to-IR transformation: after each active statement comes the statement computing its
    /// tangent (ẋ) from the tangents of its operands, with the same derivative rules as the reverse sweep. The
    /// result is an ordinary program, so it can be emitted directly (FTangent) or differentiated again by the
    /// reverse emitter (reverse over forward gives Hessian-vector products: the adjoint of x is H·v and the
    /// adjoint of v is ∇f).
    /// </summary>
    internal sealed class TangentTransform
    {
        private readonly IrProgram _source;
        private readonly List<IrVariable> _variables;
        private readonly Dictionary<int, int> _tangent = new();
        private List<IrStatement> _block = new();
        private int _statementSource;
        private LocationInfo? _unsupported;

        // For the product rule on c·x·x (Rosenbrock's 100·t·t): temps that hold a constant multiple of a variable, with
        // the block they were computed in and the variable's assignment count then, so a use sees the same x.
        private readonly Dictionary<int, (double Factor, int Of, int Block, int Version)> _scaled = new();
        private readonly Dictionary<int, int> _assignments = new();
        private int _blockId;
        private int _currentBlock;
        private Dictionary<int, double>? _constants;

        private TangentTransform(IrProgram source)
        {
            _source = source;
            _variables = new List<IrVariable>(source.Variables);
        }

        public static TangentProgram Build(IrProgram program, EquatableArray<ParameterModel> parameters)
        {
            var t = new TangentTransform(program);
            var tangentParameters = new List<int>();
            int next = parameters.Count;
            for (int i = 0; i < program.Variables.Count; i++)
            {
                var v = program.Variables[i];
                if (v.Role == VarRole.Parameter && parameters[v.ParameterIndex].Active)
                {
                    var storage = v.Shape == Shape.Scalar ? Storage.Value : v.Shape == Shape.Matrix ? Storage.Array : Storage.ReadOnlySpan;
                    t._variables.Add(new IrVariable(v.Name + "Dot", v.Type, v.Shape, storage, VarRole.Parameter, next++));
                    t._tangent[i] = t._variables.Count - 1;
                    tangentParameters.Add(t._variables.Count - 1);
                }
            }

            // A vector-valued method's outputs get a tangent span of their own, written where the outputs are.
            int outputTangent = -1;
            for (int i = 0; i < program.Variables.Count; i++)
            {
                var v = program.Variables[i];
                if (v.Role == VarRole.Parameter && parameters[v.ParameterIndex].Output)
                {
                    t._variables.Add(new IrVariable(v.Name + "Dot", v.Type, v.Shape, Storage.Output, VarRole.Parameter, next++));
                    t._tangent[i] = t._variables.Count - 1;
                    outputTangent = t._variables.Count - 1;
                }
            }

            var body = t.Block(program.Body);
            int result = t.TangentOf(program.Result);
            if (result < 0 && outputTangent >= 0)
            {
                // No scalar result: the tangent is the output span's.
                result = program.Result;
            }
            else if (result < 0)
            {
                // The result does not depend on any active input: its tangent is zero.
                t._block = new List<IrStatement>(body);
                result = t.Const(program.ResultType, 0);
                body = t._block.ToEquatableArray();
            }

            // The program's result becomes the tangent, so reverse mode over it differentiates ∇f·v.
            var cleared = new List<IrVariable>();
            foreach (var v in t._variables)
            {
                cleared.Add(v with { Active = false });
            }

            // Partial derivatives built for operands that turned out to have no tangent are dead: drop them.
            var tangentProgram = DeadCodeElimination.Run(program with { Variables = cleared.ToEquatableArray(), Body = body, Result = result }, program.Result);
            var named = new List<(int, int)>();
            foreach (var pair in t._tangent)
            {
                if (program.Variables[pair.Key].Role != VarRole.Temp && t._variables[pair.Value].Role != VarRole.Temp)
                {
                    named.Add((pair.Key, pair.Value));
                }
            }

            named.Sort(); // the dictionary's order is not part of the output
            return new TangentProgram(tangentProgram, program.Result, result, tangentParameters.ToEquatableArray(), t._unsupported, outputTangent, named.ToEquatableArray());
        }

        private int TangentOf(int id) => _tangent.TryGetValue(id, out int t) ? t : -1;

        private EquatableArray<IrStatement> Block(EquatableArray<IrStatement> block)
        {
            var saved = _block;
            int savedBlock = _currentBlock;
            _block = new List<IrStatement>();
            _currentBlock = ++_blockId;
            foreach (var s in block)
            {
                _statementSource = s.Source;
                Statement(s);
                if (s.Kind == StmtKind.Assign)
                {
                    _assignments[s.Target] = _assignments.TryGetValue(s.Target, out int count) ? count + 1 : 1;
                    RecordScaled(s);
                }
            }

            var result = _block.ToEquatableArray();
            _block = saved;
            _currentBlock = savedBlock;
            return result;
        }

        private void Statement(IrStatement s)
        {
            switch (s.Kind)
            {
                case StmtKind.Assign:
                    Assign(s);
                    return;
                case StmtKind.Store:
                case StmtKind.StoreAdd:
                    // The tangent is written first: expressions in it may read the element the primal store overwrites.
                    int array = TangentOf(s.Args[0]);
                    if (array >= 0)
                    {
                        var args = new List<int>(s.Args);
                        args[0] = array;
                        int value = TangentOf(s.Args[s.Args.Count - 1]);
                        args[args.Count - 1] = value >= 0 ? value : Const(_variables[array].Type, 0);
                        _block.Add(s with { Args = args.ToEquatableArray() });
                    }

                    _block.Add(s);

                    return;
                case StmtKind.Alloc:
                    _block.Add(s);
                    if (_source.Variables[s.Target].Active)
                    {
                        var v = _variables[s.Target];
                        _variables.Add(new IrVariable(v.Name + "Dot", v.Type, v.Shape, v.Storage, VarRole.Local, -1));
                        _tangent[s.Target] = _variables.Count - 1;
                        _block.Add(s with { Target = _variables.Count - 1 });
                    }

                    return;
                default:
                    _block.Add(s with { Body = Block(s.Body), Else = Block(s.Else) });
                    return;
            }
        }

        private void Assign(IrStatement s)
        {
            var target = _source.Variables[s.Target];
            if (!target.Active)
            {
                _block.Add(s);
                return;
            }

            if (target.Role == VarRole.Temp)
            {
                _block.Add(s);
                int tangent = TangentExpression(s, s.Target);
                _tangent[s.Target] = tangent;
                return;
            }

            // x = x ± t with a tangent for both: ẋ = ẋ ± ṫ, then x = x ± t, both kept as accumulations, so a loop of
            // sums stays a loop of sums (the reverse emitter can then fuse it).
            if (s.Op is Op.Add or Op.Sub && s.Args.Count == 2 && s.Args[0] == s.Target && s.Args[1] != s.Target
                && _tangent.TryGetValue(s.Target, out int accumulated) && TangentOf(s.Args[1]) is int increment && increment >= 0)
            {
                _block.Add(Make(s.Op, accumulated, accumulated, increment));
                _block.Add(s);
                return;
            }

            // x = f(...): compute the new value and its tangent from the old operands, then write both, the tangent
            // first (the emitter may write the tangent's expression in place, and it reads the old x).
            int primal = NewTemp(target.Type);
            _block.Add(s with { Target = primal });
            int tangentValue = TangentExpression(s with { Target = primal }, primal);
            if (!_tangent.TryGetValue(s.Target, out int tangentVariable))
            {
                _variables.Add(new IrVariable(target.Name + "Dot", target.Type, Shape.Scalar, Storage.Value, target.Role == VarRole.Result ? VarRole.Local : target.Role, -1));
                tangentVariable = _variables.Count - 1;
                _tangent[s.Target] = tangentVariable;
            }

            if (tangentValue != tangentVariable)
            {
                // (x = x + c leaves ẋ as it is: no self-assignment.)
                _block.Add(Make(Op.Copy, tangentVariable, tangentValue));
            }

            _block.Add(Make(Op.Copy, s.Target, primal));
        }

        /// <summary>Σ ∂f/∂aᵢ · ȧᵢ over the active operands, as new statements; returns the temp holding it.</summary>
        private int TangentExpression(IrStatement s, int result)
        {
            var type = _variables[s.Target].Type;
            var a = s.Args;
            int T(int i) => i < a.Count ? TangentOf(a[i]) : -1;
            var terms = new List<int>();
            void Term(int tangent, int partial)
            {
                if (tangent >= 0)
                {
                    terms.Add(partial < 0 ? tangent : ReciprocalTerm(partial, tangent, type) ?? Bin(Op.Mul, type, partial, tangent));
                }
            }

            int M(MathFunction f, params int[] args) => MathOp(f, type, args);
            switch (s.Op)
            {
                case Op.Copy:
                    Term(T(0), -1);
                    break;
                case Op.Convert:
                    if (T(0) >= 0)
                    {
                        terms.Add(_variables[T(0)].Type == type ? T(0) : Emit(Op.Convert, type, T(0)));
                    }

                    break;
                case Op.Neg:
                    if (T(0) >= 0)
                    {
                        terms.Add(Emit(Op.Neg, type, T(0)));
                    }

                    break;
                case Op.Add:
                    Term(T(0), -1);
                    Term(T(1), -1);
                    break;
                case Op.Sub:
                    Term(T(0), -1);
                    if (T(1) >= 0)
                    {
                        terms.Add(Negated(T(1)));
                    }

                    break;
                case Op.Mul when a[0] == a[1]:
                    Term(T(0), Bin(Op.Mul, type, Const(type, 2), a[0]));
                    break;
                case Op.Mul when Scaled(a[0]) is var p && Scaled(a[1]) is var q && p.Of == q.Of && TangentOf(p.Of) >= 0:
                    // (c·x)·(d·x) = cd·x²: one term 2cd·x·ẋ, where the product rule would give c·ẋ·(d·x) + (c·x)·d·ẋ.
                    double factor = 2 * p.Factor * q.Factor;
                    Term(TangentOf(p.Of), factor == 1 ? p.Of : Bin(Op.Mul, type, Const(type, factor), p.Of));
                    break;
                case Op.Mul:
                    Term(T(0), a[1]);
                    Term(T(1), a[0]);
                    break;
                case Op.Div:
                    // (ȧ − r·ḃ) / b
                    Term(T(0), -1);
                    if (T(1) >= 0)
                    {
                        terms.Add(Negated(Bin(Op.Mul, type, result, T(1))));
                    }

                    return Finish(terms, type, a[1]);
                case Op.Rem:
                    Term(T(0), -1);
                    if (T(1) >= 0)
                    {
                        terms.Add(Negated(Bin(Op.Mul, type, M(MathFunction.Truncate, Bin(Op.Div, type, a[0], a[1])), T(1))));
                    }

                    break;
                case Op.Select:
                    int whenTrue = T(1) >= 0 ? T(1) : Const(type, 0);
                    int whenFalse = T(2) >= 0 ? T(2) : Const(type, 0);
                    return Emit(Op.Select, type, a[0], whenTrue, whenFalse);
                case Op.Load:
                    if (T(0) >= 0)
                    {
                        var args = new List<int>(a);
                        args[0] = T(0);
                        int loaded = NewTemp(type);
                        _block.Add(new IrStatement(StmtKind.Assign, loaded, Op.Load, MathFunction.None, args.ToEquatableArray(), 0, 0, null,
                            EquatableArray<IrStatement>.Empty, EquatableArray<IrStatement>.Empty, _statementSource));
                        return loaded;
                    }

                    break;
                case Op.Math:
                    MathTerms(s, result, type, T, Term, terms);
                    break;
                case Op.Call:
                    return CallTangent(s, type);
            }

            return Finish(terms, type, -1);
        }

        /// <summary>
        /// The tangent of a call: the callee's own FTangent when it has one and every buffer argument has a tangent
        /// buffer to pass (the emitter decides), else the callee's pullback with seed 1, so any callee with a pullback
        /// (generated or [DerivativeOf]) composes; span and array arguments then get scratch adjoint buffers. A matrix
        /// argument needs the FTangent route (a pooled T[,] scratch buffer does not exist).
        /// </summary>
        private int CallTangent(IrStatement s, ScalarType type)
        {
            var call = _source.Calls[s.Aux];
            var args = new List<int>(s.Args);
            bool any = false;
            for (int i = 0; i < s.Args.Count; i++)
            {
                int tangent = TangentOf(s.Args[i]);
                bool active = i < call.ActiveParameters.Count && call.ActiveParameters[i];
                if (active && _source.Variables[s.Args[i]].Shape is Shape.Matrix or Shape.Jagged && (call.Tangent is null || tangent < 0))
                {
                    _unsupported ??= s.Location;
                    return Const(type, 0);
                }

                any |= active && tangent >= 0;
                args.Add(active && tangent >= 0 ? tangent : Const(_variables[s.Args[i]].Type, 0));
            }

            if (!any)
            {
                return Const(type, 0);
            }

            int t = NewTemp(type);
            _block.Add(new IrStatement(StmtKind.Assign, t, Op.CallTangent, MathFunction.None, args.ToEquatableArray(), 0, s.Aux, null,
                EquatableArray<IrStatement>.Empty, EquatableArray<IrStatement>.Empty, _statementSource, s.Location));
            return t;
        }

        private void MathTerms(IrStatement s, int r, ScalarType type, System.Func<int, int> t, System.Action<int, int> term, List<int> terms)
        {
            var a = s.Args;
            int One() => Const(type, 1);
            int M(MathFunction f, params int[] args) => MathOp(f, type, args);
            int Mul(int x, int y) => Bin(Op.Mul, type, x, y);
            int Sq(int x) => Mul(x, x);
            int Div(int x, int y) => Bin(Op.Div, type, x, y);
            int Add(int x, int y) => Bin(Op.Add, type, x, y);
            int Sub(int x, int y) => Bin(Op.Sub, type, x, y);
            int Neg(int x) => Emit(Op.Neg, type, x);
            int Cmp(Op op, int x, int y) => Bin(op, ScalarType.Bool, x, y);
            int Select(int c, int x, int y) => Emit(Op.Select, type, c, x, y);
            int Zero() => Const(type, 0);
            switch (s.Function)
            {
                case MathFunction.Sin: term(t(0), M(MathFunction.Cos, a[0])); break;
                case MathFunction.Cos: term(t(0), Neg(M(MathFunction.Sin, a[0]))); break;
                case MathFunction.Tan: term(t(0), Add(One(), Sq(r))); break;
                case MathFunction.Asin: term(t(0), Div(One(), M(MathFunction.Sqrt, Sub(One(), Sq(a[0]))))); break;
                case MathFunction.Acos: term(t(0), Neg(Div(One(), M(MathFunction.Sqrt, Sub(One(), Sq(a[0])))))); break;
                case MathFunction.Atan: term(t(0), Div(One(), Add(One(), Sq(a[0])))); break;
                case MathFunction.Atan2:
                    int norm = Add(Sq(a[1]), Sq(a[0]));
                    term(t(0), Div(a[1], norm));
                    term(t(1), Neg(Div(a[0], norm)));
                    break;
                case MathFunction.Sinh: term(t(0), M(MathFunction.Cosh, a[0])); break;
                case MathFunction.Cosh: term(t(0), M(MathFunction.Sinh, a[0])); break;
                case MathFunction.Tanh: term(t(0), Sub(One(), Sq(r))); break;
                case MathFunction.Asinh: term(t(0), Div(One(), M(MathFunction.Sqrt, Add(Sq(a[0]), One())))); break;
                case MathFunction.Acosh: term(t(0), Div(One(), M(MathFunction.Sqrt, Sub(Sq(a[0]), One())))); break;
                case MathFunction.Atanh: term(t(0), Div(One(), Sub(One(), Sq(a[0])))); break;
                case MathFunction.Exp: term(t(0), r); break;
                case MathFunction.Log when a.Count == 1: term(t(0), Div(One(), a[0])); break;
                case MathFunction.Log:
                    int lnB = M(MathFunction.Log, a[1]);
                    term(t(0), Div(One(), Mul(a[0], lnB)));
                    term(t(1), Neg(Div(r, Mul(a[1], lnB))));
                    break;
                case MathFunction.Log10: term(t(0), Div(Const(type, 0.43429448190325182), a[0])); break;
                case MathFunction.Log2: term(t(0), Div(Const(type, 1.4426950408889634), a[0])); break;
                case MathFunction.Sqrt: term(t(0), Div(Const(type, 0.5), r)); break;
                case MathFunction.Cbrt: term(t(0), Div(One(), Mul(Const(type, 3), Sq(r)))); break;
                case MathFunction.Pow:
                    if (t(0) >= 0)
                    {
                        var exponent = ConstantOf(a[1]);
                        int partial = exponent switch
                        {
                            0 => Zero(),
                            1 => One(),
                            2 => Mul(Const(type, 2), a[0]),
                            { } c => Mul(a[1], M(MathFunction.Pow, a[0], Const(type, c - 1))),
                            null => Select(Cmp(Op.Eq, a[1], Zero()), Zero(), Mul(a[1], M(MathFunction.Pow, a[0], Sub(a[1], One())))),
                        };
                        term(t(0), partial);
                    }

                    if (t(1) >= 0)
                    {
                        term(t(1), Select(Cmp(Op.Eq, a[0], Zero()), Zero(), Mul(r, M(MathFunction.Log, a[0]))));
                    }

                    break;
                case MathFunction.Abs:
                    if (t(0) >= 0)
                    {
                        terms.Add(Select(Cmp(Op.Gt, a[0], Zero()), t(0), Select(Cmp(Op.Lt, a[0], Zero()), Neg(t(0)), Zero())));
                    }

                    break;
                case MathFunction.Max:
                case MathFunction.Min:
                    int ta = t(0) >= 0 ? t(0) : Zero();
                    int tb = t(1) >= 0 ? t(1) : Zero();
                    var wins = s.Function == MathFunction.Max ? Op.Gt : Op.Lt;
                    terms.Add(Select(Cmp(wins, a[0], a[1]), ta, Select(Cmp(wins, a[1], a[0]), tb, Mul(Const(type, 0.5), Add(ta, tb)))));
                    break;
                case MathFunction.Clamp:
                    int tx = t(0) >= 0 ? t(0) : Zero();
                    int tlo = t(1) >= 0 ? t(1) : Zero();
                    int thi = t(2) >= 0 ? t(2) : Zero();
                    terms.Add(Select(Cmp(Op.Lt, a[0], a[1]), tlo, Select(Cmp(Op.Gt, a[0], a[2]), thi, tx)));
                    break;
                case MathFunction.FusedMultiplyAdd:
                    term(t(0), a[1]);
                    term(t(1), a[0]);
                    term(t(2), -1);
                    break;
                case MathFunction.ScaleB:
                    if (t(0) >= 0)
                    {
                        terms.Add(M(MathFunction.ScaleB, t(0), a[1]));
                    }

                    break;
            }
        }

        /// <summary>Notes a temp computed as c·x or x·c with a constant c (a fresh value of x's current assignment).</summary>
        private void RecordScaled(IrStatement s)
        {
            if (s.Op != Op.Mul || s.Args.Count != 2 || _source.Variables[s.Target].Role != VarRole.Temp)
            {
                return;
            }

            var (constant, of) = ConstantOf(s.Args[0]) is { } left ? (left, s.Args[1]) : (ConstantOf(s.Args[1]), s.Args[0]);
            if (constant is { } factor && ConstantOf(of) is null)
            {
                _scaled[s.Target] = (factor, of, _currentBlock, _assignments.TryGetValue(of, out int version) ? version : 0);
            }
        }

        /// <summary>id as c·x: the recorded multiple when it still holds here, else 1·id.</summary>
        private (double Factor, int Of) Scaled(int id)
        {
            if (_scaled.TryGetValue(id, out var m) && m.Block == _currentBlock && (_assignments.TryGetValue(m.Of, out int version) ? version : 0) == m.Version)
            {
                return (m.Factor, m.Of);
            }

            return (1, id);
        }

        private double? ConstantOf(int id)
        {
            if (_constants is null)
            {
                // Constants are temps assigned once by a literal; collected on first use.
                _constants = new Dictionary<int, double>();
                StatementWalker.Walk(_source.Body, s =>
                {
                    if (s.Kind == StmtKind.Assign && s.Op == Op.Const && s.Text is null && _source.Variables[s.Target].Role == VarRole.Temp)
                    {
                        _constants[s.Target] = s.Constant;
                    }
                });
            }

            return _constants.TryGetValue(id, out double value) ? value : null;
        }

        /// <summary>Terms to subtract are marked by a negative id (~id), so the sum reads a − b rather than a + −b.</summary>
        private static int Negated(int id) => ~id;

        /// <summary>
        /// A partial c/x (log's 1/x, sqrt's ½/r) times a tangent, as a quotient: c·ṫ/x rather than (c/x)·ṫ, and when ṫ
        /// is itself a quotient n/d (the tangent of a/b), c·n/(d·x): log(a/b) costs one division along v, not three.
        /// Null when the partial is not a number over something.
        /// </summary>
        private int? ReciprocalTerm(int partial, int tangent, ScalarType type)
        {
            if (Definition(partial) is not { Op: Op.Div } reciprocal || Definition(reciprocal.Args[0]) is not { Op: Op.Const } numerator)
            {
                return null;
            }

            int top = tangent;
            int bottom = reciprocal.Args[1];
            if (Definition(tangent) is { Op: Op.Div } quotient && quotient.Args[0] != quotient.Args[1])
            {
                top = quotient.Args[0];
                bottom = Bin(Op.Mul, type, quotient.Args[1], bottom);
            }

            if (numerator.Constant != 1)
            {
                top = Bin(Op.Mul, type, reciprocal.Args[0], top);
            }

            return Bin(Op.Div, type, top, bottom);
        }

        /// <summary>The statement of the current block that defines a temp this transform made (temps are assigned once), or null.</summary>
        private IrStatement? Definition(int id)
        {
            if (id < _source.Variables.Count || _variables[id].Role != VarRole.Temp)
            {
                return null;
            }

            for (int i = _block.Count - 1; i >= 0; i--)
            {
                if (_block[i] is { Kind: StmtKind.Assign } s && s.Target == id)
                {
                    return s;
                }
            }

            return null;
        }

        private int Finish(List<int> terms, ScalarType type, int divisor)
        {
            int sum = -1;
            foreach (int term in terms)
            {
                int value = term < 0 ? ~term : term;
                if (sum < 0)
                {
                    sum = term < 0 ? Emit(Op.Neg, type, value) : value;
                }
                else
                {
                    sum = Bin(term < 0 ? Op.Sub : Op.Add, type, sum, value);
                }
            }

            if (sum < 0)
            {
                return Const(type, 0);
            }

            return divisor >= 0 ? Bin(Op.Div, type, sum, divisor) : sum;
        }

        private int NewTemp(ScalarType type)
        {
            _variables.Add(new IrVariable("t", type, Shape.Scalar, Storage.Value, VarRole.Temp, -1));
            return _variables.Count - 1;
        }

        private IrStatement Make(Op op, int target, params int[] args) => new(StmtKind.Assign, target, op, MathFunction.None, new EquatableArray<int>(args), 0, 0, null,
            EquatableArray<IrStatement>.Empty, EquatableArray<IrStatement>.Empty, _statementSource);

        private int Emit(Op op, ScalarType type, params int[] args)
        {
            int t = NewTemp(type);
            _block.Add(Make(op, t, args));
            return t;
        }

        private int Bin(Op op, ScalarType type, int a, int b) => Emit(op, type, a, b);

        private int Const(ScalarType type, double value)
        {
            int t = NewTemp(type);
            _block.Add(Make(Op.Const, t) with { Constant = value });
            return t;
        }

        private int MathOp(MathFunction f, ScalarType type, params int[] args)
        {
            int t = NewTemp(type);
            _block.Add(Make(Op.Math, t, args) with { Function = f, Text = type == ScalarType.Float ? "MathF" : "Math" });
            return t;
        }
    }
}
