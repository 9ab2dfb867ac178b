import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.utils.estimator_checks import parametrize_with_checks

import offerodds.training.folds as folds_module
from offerodds.training.prior_logistic import PriorLogisticRegression

TRUE_COEF = np.array([1.0, -2.0, 0.5])
TRUE_INTERCEPT = 0.3


def make_logistic(n, seed=0, coef=TRUE_COEF, intercept=TRUE_INTERCEPT):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, coef.size))
    p = 1.0 / (1.0 + np.exp(-(X @ coef + intercept)))
    y = (rng.uniform(size=n) < p).astype(int)
    return X, y


@parametrize_with_checks(
    [
        PriorLogisticRegression(),
        PriorLogisticRegression(selection="evidence_average"),
        PriorLogisticRegression(alpha=1.0, selection="cv"),
    ]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("prior", [[0.5, -1.0, 2.0], [-3.0, 0.0, 1.0]])
def test_huge_alpha_returns_prior(prior):
    X, y = make_logistic(500, seed=1)
    clf = PriorLogisticRegression(prior_coef=prior, alpha=1e8).fit(X, y)
    np.testing.assert_allclose(clf.coef_[0], prior, atol=1e-3)
    assert clf.alpha_ == 1e8


def test_tiny_alpha_recovers_truth():
    X, y = make_logistic(20_000, seed=2)
    clf = PriorLogisticRegression(prior_coef=[5.0, 5.0, 5.0], alpha=1e-6).fit(X, y)
    np.testing.assert_allclose(clf.coef_[0], TRUE_COEF, atol=0.1)
    assert abs(clf.intercept_[0] - TRUE_INTERCEPT) < 0.1


@pytest.mark.parametrize("alpha", [0.1, 1.0, 30.0])
def test_zero_prior_matches_sklearn_logistic_regression(alpha):
    X, y = make_logistic(400, seed=3)
    ours = PriorLogisticRegression(alpha=alpha).fit(X, y)
    ref = LogisticRegression(C=1.0 / alpha, tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-4)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-4)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-4)


def test_evidence_trusts_a_correct_prior_with_few_rows():
    X, y = make_logistic(60, seed=4)
    clf = PriorLogisticRegression(prior_coef=TRUE_COEF).fit(X, y)
    assert clf.alpha_ >= 100.0
    assert clf.alphas_.shape == clf.alpha_scores_.shape == (25,)
    assert clf.alpha_scores_[np.argmax(clf.alphas_ == clf.alpha_)] == clf.alpha_scores_.max()


def test_evidence_overrides_a_wrong_prior_with_many_rows():
    X, y = make_logistic(5_000, seed=5)
    clf = PriorLogisticRegression(prior_coef=-2.0 * TRUE_COEF).fit(X, y)
    assert clf.alpha_ <= 1.0
    np.testing.assert_allclose(clf.coef_[0], TRUE_COEF, atol=0.15)


def test_cv_one_standard_error_rule_prefers_stronger_penalty_than_cv_min():
    X, y = make_logistic(300, seed=6)
    one_se = PriorLogisticRegression(selection="cv").fit(X, y)
    minimum = PriorLogisticRegression(selection="cv_min").fit(X, y)
    scores = minimum.alpha_scores_
    assert np.all(np.isfinite(scores))
    np.testing.assert_allclose(one_se.alpha_scores_, scores)
    assert scores[minimum.alphas_ == minimum.alpha_][0] == scores.min()
    # the 1-SE rule shrinks more towards the prior, but not all the way
    assert minimum.alpha_ < one_se.alpha_ < 1e3
    assert np.linalg.norm(one_se.coef_) < np.linalg.norm(minimum.coef_)


def test_cv_accepts_explicit_splitter():
    from sklearn.model_selection import KFold

    X, y = make_logistic(300, seed=6)
    clf = PriorLogisticRegression(selection="cv", cv=KFold(3)).fit(X, y)
    assert clf.alpha_ in clf.alphas_ and clf.alpha_ < 1e3


def test_posterior_uncertainty_shrinks_with_more_rows():
    X_test = np.random.default_rng(7).normal(size=(50, 3))
    small = PriorLogisticRegression(alpha=1.0).fit(*make_logistic(100, seed=8))
    large = PriorLogisticRegression(alpha=1.0).fit(*make_logistic(10_000, seed=9))
    std_small, std_large = small.decision_std(X_test), large.decision_std(X_test)
    assert std_small.shape == (50,)
    assert np.all(std_small > std_large)
    assert np.mean(std_small) > 5 * np.mean(std_large)
    assert small.covariance_.shape == (4, 4)


def test_decision_std_matches_explicit_quadratic_form():
    X, y = make_logistic(200, seed=10)
    clf = PriorLogisticRegression(alpha=2.0).fit(X, y)
    X1 = np.hstack([X[:5], np.ones((5, 1))])
    expected = np.sqrt(np.diag(X1 @ clf.covariance_ @ X1.T))
    np.testing.assert_allclose(clf.decision_std(X[:5]), expected, rtol=1e-10)


def test_groups_are_never_split_across_folds(monkeypatch):
    X, y = make_logistic(400, seed=11)
    groups = np.repeat(np.arange(40), 10)
    seen = []

    class RecordingSGKF(folds_module.StratifiedGroupKFold):
        def split(self, X, y=None, groups=None):
            for tr, te in super().split(X, y, groups):
                seen.append((tr, te))
                yield tr, te

    def no_plain_kfold(*args, **kwargs):
        raise AssertionError("StratifiedKFold used although groups were given")

    monkeypatch.setattr(folds_module, "StratifiedGroupKFold", RecordingSGKF)
    monkeypatch.setattr(folds_module, "StratifiedKFold", no_plain_kfold)
    clf = PriorLogisticRegression(selection="cv").fit(X, y, groups=groups)
    assert np.isfinite(clf.alpha_) and clf.alpha_ in clf.alphas_
    assert len(seen) == 5
    for tr, te in seen:
        assert not set(groups[tr]) & set(groups[te])


def test_few_groups_reduce_number_of_folds():
    X, y = make_logistic(90, seed=12)
    groups = np.repeat([0, 1, 2], 30)
    clf = PriorLogisticRegression(selection="cv", cv=5).fit(X, y, groups=groups)
    assert np.isfinite(clf.alpha_)


def test_prior_length_mismatch_raises_clear_error():
    X, y = make_logistic(50, seed=13)
    with pytest.raises(ValueError, match=r"prior_coef has length 2 but X has 3 features"):
        PriorLogisticRegression(prior_coef=[1.0, 2.0]).fit(X, y)


def test_multiclass_and_single_class_are_rejected():
    X, _ = make_logistic(30, seed=14)
    with pytest.raises(ValueError, match="PriorLogisticRegression is binary"):
        PriorLogisticRegression(alpha=1.0).fit(X, np.arange(30) % 3)
    with pytest.raises(ValueError, match="class"):
        PriorLogisticRegression(alpha=1.0).fit(X, np.zeros(30))


def test_string_labels():
    X, y = make_logistic(200, seed=15)
    labels = np.where(y == 1, "offer", "reject")
    clf = PriorLogisticRegression(alpha=1.0).fit(X, labels)
    assert list(clf.classes_) == ["offer", "reject"]
    # decision_function is the log-odds of classes_[1] == "reject"
    numeric = PriorLogisticRegression(alpha=1.0).fit(X, y)
    np.testing.assert_allclose(clf.coef_[0], -numeric.coef_[0], atol=1e-6)
    assert set(clf.predict(X)) <= {"offer", "reject"}


@pytest.mark.parametrize("alpha", [1.0, "auto"])
def test_sample_weight_two_equals_duplicated_rows(alpha):
    X, y = make_logistic(200, seed=16)
    sw = np.ones(200)
    sw[:60] = 2.0
    prior = [0.5, -1.0, 0.0]
    weighted = PriorLogisticRegression(prior_coef=prior, alpha=alpha).fit(X, y, sample_weight=sw)
    X_dup, y_dup = np.vstack([X, X[:60]]), np.concatenate([y, y[:60]])
    duplicated = PriorLogisticRegression(prior_coef=prior, alpha=alpha).fit(X_dup, y_dup)
    assert weighted.alpha_ == duplicated.alpha_
    np.testing.assert_allclose(weighted.coef_, duplicated.coef_, atol=1e-5)
    np.testing.assert_allclose(weighted.intercept_, duplicated.intercept_, atol=1e-5)


def test_quadratic_form_has_the_same_bits_for_a_row_alone_or_in_any_chunk():
    """The interval's x' C x: a row's value does not depend on the rows scored with it (the CLI
    scores 25,000 rows at a time, a Spark UDF 10,000, a notebook one), nor on the layout."""
    from offerodds.scoring.scorer import quadratic_form

    rng = np.random.default_rng(12)
    A = rng.normal(size=(61, 61))
    C = A @ A.T
    X1 = rng.normal(size=(2003, 61))
    X1[rng.random(X1.shape) < 0.3] = 0.0
    X1[:, -1] = 1.0
    whole = quadratic_form(X1, C)
    np.testing.assert_allclose(whole, np.diag(X1 @ C @ X1.T), rtol=1e-12)
    for size in (1, 7, 8, 100, 1000):
        parts = np.concatenate([quadratic_form(X1[s : s + size], C) for s in range(0, len(X1), size)])
        assert np.array_equal(parts, whole), size
    assert np.array_equal(quadratic_form(np.asfortranarray(X1), C), whole)
    assert np.array_equal(quadratic_form(X1[::-1], C)[::-1], whole)
