"""Exercises for the "Choosing an activation" chapter: output layers, hidden layers and their
initialisation, dead units, and a number read from the comparison table.

Usage in a notebook::

    from actlib.exercises import choosing as ex
    ex.q1.check("b")
    ex.q1.hint()
    ex.q1.solution()
"""

from __future__ import annotations

from actlib.exercises.checker import ChoiceQuestion, NumericQuestion

__all__ = ["q1", "q2", "q3", "q4", "q5"]

q1 = ChoiceQuestion(
    "q1",
    "A model tags photos with any subset of 20 labels: one photo can show a dog and a beach "
    "and a sunset. Which activation should its 20 output units use? Answer with a letter, "
    "e.g. q1.check('a').",
    options={
        "a": "A softmax over the 20 outputs.",
        "b": "A sigmoid on each output, trained with binary cross-entropy per label.",
        "c": "The identity: the raw scores are the answer.",
        "d": "ReLU on each output.",
    },
    answer="b",
    feedback={
        "a": "softmax makes the labels compete: its outputs sum to 1, so a dog and a beach "
        "cannot both get a probability near 1. Softmax is for exactly one class per example.",
        "c": "raw scores are not probabilities: they are unbounded and say nothing like "
        "'83% sure there is a dog'. (You may pass raw scores to a loss that applies the right "
        "activation itself; the question is which activation that is.)",
        "d": "ReLU outputs lie in [0, ∞), not in [0, 1], so they are not probabilities; and an "
        "output unit stuck at 0 has zero gradient and stops learning.",
    },
    hints=[
        "Ask two questions: can several labels be present at once, and what range must each "
        "output have to be a probability?",
        "Labels that are present independently of each other need independent probabilities "
        "in (0, 1); they should not be forced to share a total of 1.",
    ],
    solution_text=(
        "(b). Each label is its own yes/no question, so each output gets its own sigmoid, "
        "σ(z) in (0, 1), and its own binary cross-entropy term (computed from the logits, "
        "e.g. BCEWithLogitsLoss in PyTorch). Softmax (a) would force the 20 probabilities to "
        "sum to 1 and make the labels compete; it is right when exactly one label applies."
    ),
    success_note="independent labels, independent sigmoids: this is multi-label classification.",
)

q2 = ChoiceQuestion(
    "q2",
    "A network forecasts tomorrow's demand together with its uncertainty: one output is the "
    "standard deviation s > 0 of a Gaussian, trained by maximising the likelihood, whose "
    "logarithm contains −log s and −(y − μ)²/(2s²). Which activation suits the output s? "
    "Answer with a letter, e.g. q2.check('a').",
    options={
        "a": "ReLU",
        "b": "Softplus",
        "c": "Sigmoid",
        "d": "tanh",
    },
    answer="b",
    feedback={
        "a": "ReLU outputs exactly 0 for every negative input: then log s = −∞ and the loss "
        "divides by zero; and since ReLU's slope is 0 there, the unit cannot climb back.",
        "c": "the sigmoid is positive, but it never exceeds 1, so it cannot express a standard "
        "deviation of 3 (unless you rescale it with a guessed maximum).",
        "d": "tanh outputs negative values for negative inputs, and a standard deviation must "
        "be positive.",
    },
    hints=[
        "The output must be strictly positive, with no upper limit, and its gradient should "
        "never vanish completely.",
        "Which activation in the table has output range (0, ∞) and is smooth?",
    ],
    solution_text=(
        "(b). Softplus, log(1 + e^z), is strictly positive and unbounded above, and its slope "
        "σ(z) is never exactly 0, so the unit can always recover. The exponential e^z also "
        "gives positive outputs and is common (a network then predicts log s), but it grows "
        "so fast that a large logit can overflow; softplus grows only linearly. ReLU (a) can "
        "output exactly 0, sigmoid (c) is capped at 1 and tanh (d) goes negative."
    ),
    success_note="softplus: strictly positive, unbounded, and never a zero gradient.",
)

q3 = ChoiceQuestion(
    "q3",
    "You train a 30-layer fully connected network on tabular data, without batch "
    "normalisation or any other normalisation layer, and you want the activations to keep "
    "mean about 0 and variance about 1 from layer to layer by themselves. Which pair of "
    "hidden activation and weight initialisation? Answer with a letter, e.g. q3.check('a').",
    options={
        "a": "ReLU with He initialisation (weight variance 2/fan_in).",
        "b": "SELU with LeCun normal initialisation (weight variance 1/fan_in).",
        "c": "SELU with He initialisation (weight variance 2/fan_in).",
        "d": "ReLU with LeCun initialisation (weight variance 1/fan_in).",
    },
    answer="b",
    feedback={
        "a": "a sound default, and He keeps the scale of the signal steady at the start; but "
        "ReLU outputs are never negative, so their mean is positive, and nothing pulls mean and "
        "variance back once training moves the weights. That pull is what self-normalising "
        "means.",
        "c": "SELU's self-normalising fixed point (mean 0, variance 1) assumes weights of "
        "variance 1/fan_in. With twice that, the variance grows from layer to layer instead of "
        "settling at 1.",
        "d": "ReLU zeroes about half of its inputs, so with variance 1/fan_in the signal's "
        "second moment halves at every layer and fades away in a deep stack; that factor 2 "
        "is what He initialisation puts back.",
    },
    hints=[
        "Only one of these activations was designed so that mean 0 and variance 1 are an "
        "attracting fixed point of a layer: which one?",
        "The fixed-point analysis of that activation assumes weights with mean 0 and variance "
        "1/fan_in. Which initialisation gives that?",
    ],
    solution_text=(
        "(b). SELU's two constants λ ≈ 1.0507 and α ≈ 1.6733 are chosen so that, for weights of "
        "variance 1/fan_in (LeCun normal), a layer maps inputs with mean 0 and variance 1 to "
        "outputs with mean 0 and variance 1, and pulls nearby statistics towards them. With He "
        "weights (c) the variance grows instead; ReLU (a, d) has no such fixed point, and with "
        "LeCun weights (d) its signal fades layer after layer. See the SELU chapter and the "
        "chapter on gradients and initialisation."
    ),
    success_note="SELU + LeCun normal: the pairing the self-normalising analysis assumes.",
)

q4 = ChoiceQuestion(
    "q4",
    "After training, 40% of the hidden units of your ReLU network output 0 for every training "
    "example, and the loss has stopped improving. Which change addresses this most directly? "
    "Answer with a letter, e.g. q4.check('a').",
    options={
        "a": "Switch to Leaky ReLU or PReLU (keeping He initialisation), and check that the "
        "learning rate is not too large.",
        "b": "Increase the learning rate, so that the dead units get pushed out of their dead "
        "zone.",
        "c": "Switch the hidden layers to the sigmoid, which cannot output exactly 0.",
        "d": "Initialise every bias at −1.",
    },
    answer="a",
    feedback={
        "b": "a dead unit has zero gradient for every example, so a larger learning rate does "
        "not move it at all; large steps are in fact a common way units die in the first place.",
        "c": "sigmoid units cannot die, but they saturate and shrink gradients by at least 4 at "
        "every layer: in the course's training lab the sigmoid network learned least of all.",
        "d": "a negative bias pushes pre-activations below 0, where ReLU is flat: more units "
        "start dead, not fewer.",
    },
    hints=[
        "Why does a dead ReLU unit never recover? Look at its derivative for x < 0.",
        "Which activations keep a non-zero slope for negative inputs, while staying as cheap "
        "and as unbounded as ReLU for positive ones?",
    ],
    solution_text=(
        "(a). A unit whose pre-activation is negative for every example has ReLU'(z) = 0 "
        "everywhere, so no gradient reaches its weights and it stays dead. Leaky ReLU keeps a "
        "small slope a for x < 0 (PReLU learns a), so gradient always flows and the unit can "
        "recover. Too large a learning rate is a common cause of dying units, so lowering it "
        "helps too. (b) cannot move a unit with zero gradient; (c) trades dying for "
        "saturation; (d) makes more units dead."
    ),
    success_note="a small negative slope keeps gradient flowing through every unit.",
)

q5 = NumericQuestion(
    "q5",
    "Read the 'largest slope' column of the comparison table. A gradient flows back through 5 "
    "stacked single-unit layers with weights 1. Each layer multiplies it by the activation's "
    "slope at that unit, so the activations can scale it by at most the product of their "
    "largest slopes. How many times larger is this bound for 5 tanh layers than for 5 sigmoid "
    "layers? Answer with a single number, e.g. q5.check(3.5).",
    expected=4.0**5,
    labels=("the ratio of the two bounds",),
    rtol=1e-6,
    mistakes=[
        (4.0, "that is the ratio for a single layer; the chain rule multiplies 5 factors."),
        (20.0, "you added the 5 factors of 4; the chain rule multiplies them."),
        (
            1 / 4.0**5,
            "that is the sigmoid's bound alone, or the ratio upside down: tanh's largest slope is "
            "the larger one, so its bound is the larger one too.",
        ),
        (4.0**4, "count the factors again: one slope per layer, 5 layers."),
        (4.0**6, "count the factors again: one slope per layer, 5 layers."),
        (1.0, "that is tanh's bound alone (1 per layer); the question asks for the ratio."),
        (
            2.0**5,
            "tanh's largest slope is 1 and the sigmoid's is 1/4, so one layer gives a ratio "
            "of 4, not 2.",
        ),
    ],
    hints=[
        "Look up the largest slope of tanh and of the sigmoid in the table.",
        "Through 5 layers, each bound is the largest slope raised to the power 5.",
        "Divide the two bounds: (1)^5 / (1/4)^5.",
    ],
    solution_text=(
        "The table gives tanh a largest slope of 1 (at x = 0) and the sigmoid 1/4 (at x = 0). "
        "Through 5 layers with weights 1 the gradient is scaled by at most 1^5 = 1 with tanh "
        "and at most (1/4)^5 = 1/1024 with the sigmoid, so the ratio is 4^5 = 1024: "
        "q5.check(4**5). tanh still saturates, but at its best it passes a gradient on "
        "unchanged, while the sigmoid always shrinks it at least four-fold per layer."
    ),
    success_note="4^5 = 1024: the sigmoid's slope of at most 1/4 costs a factor 4 per layer.",
)
