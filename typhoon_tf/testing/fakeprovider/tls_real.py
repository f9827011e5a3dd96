"""Real keys and certificates for the `tls_*` types (using `cryptography`), shaped like the
hashicorp/tls provider's results so kubeconfigs and static pods built from them are valid."""

from __future__ import annotations

import base64
import datetime
import hashlib
import ipaddress
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from typhoon_tf.testing.fakeprovider.errors import ProviderError

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey

_CURVES: dict[str, type[ec.EllipticCurve]] = {
    "P224": ec.SECP224R1,
    "P256": ec.SECP256R1,
    "P384": ec.SECP384R1,
    "P521": ec.SECP521R1,
}

_KEY_USAGES = {
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "cert_signing",
    "crl_signing",
    "encipher_only",
    "decipher_only",
}
_EXT_USAGES = {
    "any_extended": ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE,
    "server_auth": ExtendedKeyUsageOID.SERVER_AUTH,
    "client_auth": ExtendedKeyUsageOID.CLIENT_AUTH,
    "code_signing": ExtendedKeyUsageOID.CODE_SIGNING,
    "email_protection": ExtendedKeyUsageOID.EMAIL_PROTECTION,
    "timestamping": ExtendedKeyUsageOID.TIME_STAMPING,
    "ocsp_signing": ExtendedKeyUsageOID.OCSP_SIGNING,
    "ipsec_end_system": x509.ObjectIdentifier("1.3.6.1.5.5.7.3.5"),
    "ipsec_tunnel": x509.ObjectIdentifier("1.3.6.1.5.5.7.3.6"),
    "ipsec_user": x509.ObjectIdentifier("1.3.6.1.5.5.7.3.7"),
}


def known_usages() -> frozenset[str]:
    return frozenset(_KEY_USAGES) | frozenset(_EXT_USAGES)


def _algorithm_name(key: PrivateKey) -> str:
    if isinstance(key, rsa.RSAPrivateKey):
        return "RSA"
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return "ECDSA"
    return "ED25519"


def _load_private_key(pem: str, field: str) -> PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except ValueError as err:
        raise ProviderError(f"failed to decode {field}", str(err), path=[field]) from err
    if not isinstance(
        key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
    ):
        raise ProviderError(f"unsupported key type in {field}", type(key).__name__, path=[field])
    return key


def _public_facts(key: PrivateKey) -> dict[str, Any]:
    public = key.public_key()
    pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    openssh = public.public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    ).decode()
    blob = base64.b64decode(openssh.split()[1])
    md5 = hashlib.md5(blob, usedforsecurity=False).hexdigest()
    sha = base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    return {
        "public_key_pem": pem,
        "public_key_openssh": openssh + "\n",
        "public_key_fingerprint_md5": ":".join(md5[i : i + 2] for i in range(0, 32, 2)),
        "public_key_fingerprint_sha256": f"SHA256:{sha}",
        "id": hashlib.sha1(pem.encode()).hexdigest(),
    }


def private_key(planned: dict[str, Any]) -> dict[str, Any]:
    algorithm = planned.get("algorithm") or "RSA"
    key: PrivateKey
    if algorithm == "RSA":
        bits = int(planned.get("rsa_bits") or 2048)
        key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        traditional = serialization.PrivateFormat.TraditionalOpenSSL
    elif algorithm == "ECDSA":
        curve = planned.get("ecdsa_curve") or "P224"
        if curve not in _CURVES:
            raise ProviderError("invalid ecdsa_curve", f"unsupported curve {curve!r}")
        key = ec.generate_private_key(_CURVES[curve]())
        traditional = serialization.PrivateFormat.TraditionalOpenSSL
    elif algorithm == "ED25519":
        key = ed25519.Ed25519PrivateKey.generate()
        traditional = serialization.PrivateFormat.PKCS8
    else:
        raise ProviderError("invalid algorithm", f"unsupported key algorithm {algorithm!r}")
    none = serialization.NoEncryption()
    pem = serialization.Encoding.PEM
    return {
        "algorithm": algorithm,
        "rsa_bits": int(planned.get("rsa_bits") or 2048),
        "ecdsa_curve": planned.get("ecdsa_curve") or "P224",
        "private_key_pem": key.private_bytes(pem, traditional, none).decode(),
        "private_key_pem_pkcs8": key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, none
        ).decode(),
        "private_key_openssh": key.private_bytes(
            pem, serialization.PrivateFormat.OpenSSH, none
        ).decode(),
        **_public_facts(key),
    }


def public_key(config: dict[str, Any]) -> dict[str, Any]:
    pem = config.get("private_key_pem") or config.get("private_key_openssh") or ""
    if config.get("private_key_openssh"):
        key_any = serialization.load_ssh_private_key(pem.encode(), password=None)
        if not isinstance(
            key_any, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
        ):
            raise ProviderError("unsupported key type", type(key_any).__name__)
        key: PrivateKey = key_any
    else:
        key = _load_private_key(pem, "private_key_pem")
    return {"algorithm": _algorithm_name(key), **_public_facts(key)}


def _subject(planned: dict[str, Any]) -> x509.Name:
    subjects = planned.get("subject") or []
    subject = subjects[0] if isinstance(subjects, list) and subjects else (subjects or {})
    oids = [
        ("common_name", NameOID.COMMON_NAME),
        ("organization", NameOID.ORGANIZATION_NAME),
        ("organizational_unit", NameOID.ORGANIZATIONAL_UNIT_NAME),
        ("country", NameOID.COUNTRY_NAME),
        ("province", NameOID.STATE_OR_PROVINCE_NAME),
        ("locality", NameOID.LOCALITY_NAME),
        ("postal_code", NameOID.POSTAL_CODE),
        ("serial_number", NameOID.SERIAL_NUMBER),
        ("email_address", NameOID.EMAIL_ADDRESS),
    ]
    attrs = [x509.NameAttribute(oid, str(subject[k])) for k, oid in oids if subject.get(k)]
    return x509.Name(attrs)


def _san(planned: dict[str, Any]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = [x509.DNSName(n) for n in planned.get("dns_names") or []]
    for raw in planned.get("ip_addresses") or []:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(raw)))
        except ValueError as err:
            raise ProviderError(
                "invalid IP address", f"{raw!r}: {err}", path=["ip_addresses"]
            ) from err
    names += [x509.UniformResourceIdentifier(u) for u in planned.get("uris") or []]
    return names


def _sign_algorithm(key: PrivateKey) -> hashes.SHA256 | None:
    return None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()


def _build_certificate(
    planned: dict[str, Any],
    subject: x509.Name,
    public: Any,
    issuer: x509.Name,
    signer: PrivateKey,
    extra_names: list[x509.GeneralName],
) -> dict[str, Any]:
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    hours = int(planned.get("validity_period_hours") or 0)
    end = now + datetime.timedelta(hours=hours)
    serial = x509.random_serial_number()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public)
        .serial_number(serial)
        .not_valid_before(now)
        .not_valid_after(end)
    )
    uses = list(planned.get("allowed_uses") or [])
    unknown = [u for u in uses if u not in _KEY_USAGES and u not in _EXT_USAGES]
    if unknown:
        raise ProviderError(
            "invalid allowed_uses", f"unknown usages {unknown}", path=["allowed_uses"]
        )
    is_ca = bool(planned.get("is_ca_certificate"))
    usage_flags = {u: u in uses for u in _KEY_USAGES}
    if any(usage_flags.values()):
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=usage_flags["digital_signature"],
                content_commitment=usage_flags["content_commitment"],
                key_encipherment=usage_flags["key_encipherment"],
                data_encipherment=usage_flags["data_encipherment"],
                key_agreement=usage_flags["key_agreement"],
                key_cert_sign=usage_flags["cert_signing"] or is_ca,
                crl_sign=usage_flags["crl_signing"],
                encipher_only=usage_flags["encipher_only"] and usage_flags["key_agreement"],
                decipher_only=usage_flags["decipher_only"] and usage_flags["key_agreement"],
            ),
            critical=True,
        )
    ext = [_EXT_USAGES[u] for u in uses if u in _EXT_USAGES]
    if ext:
        builder = builder.add_extension(x509.ExtendedKeyUsage(ext), critical=False)
    builder = builder.add_extension(
        x509.BasicConstraints(ca=is_ca, path_length=None), critical=True
    )
    if extra_names:
        builder = builder.add_extension(x509.SubjectAlternativeName(extra_names), critical=False)
    if is_ca or planned.get("set_subject_key_id"):
        builder = builder.add_extension(
            x509.SubjectKeyIdentifier.from_public_key(public), critical=False
        )
    cert = builder.sign(signer, _sign_algorithm(signer))
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    return {
        "cert_pem": cert.public_bytes(serialization.Encoding.PEM).decode(),
        "validity_start_time": now.strftime(stamp),
        "validity_end_time": end.strftime(stamp),
        "ready_for_renewal": False,
        "id": str(serial),
    }


def self_signed_cert(planned: dict[str, Any]) -> dict[str, Any]:
    key = _load_private_key(planned.get("private_key_pem") or "", "private_key_pem")
    subject = _subject(planned)
    result = _build_certificate(planned, subject, key.public_key(), subject, key, _san(planned))
    return {**result, "key_algorithm": _algorithm_name(key)}


def cert_request(planned: dict[str, Any]) -> dict[str, Any]:
    key = _load_private_key(planned.get("private_key_pem") or "", "private_key_pem")
    builder = x509.CertificateSigningRequestBuilder().subject_name(_subject(planned))
    names = _san(planned)
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    csr = builder.sign(key, _sign_algorithm(key))
    pem = csr.public_bytes(serialization.Encoding.PEM).decode()
    return {
        "cert_request_pem": pem,
        "key_algorithm": _algorithm_name(key),
        "id": hashlib.sha1(pem.encode()).hexdigest(),
    }


def locally_signed_cert(planned: dict[str, Any]) -> dict[str, Any]:
    try:
        csr = x509.load_pem_x509_csr((planned.get("cert_request_pem") or "").encode())
    except ValueError as err:
        raise ProviderError(
            "failed to decode cert_request_pem", str(err), path=["cert_request_pem"]
        ) from err
    try:
        ca_cert = x509.load_pem_x509_certificate((planned.get("ca_cert_pem") or "").encode())
    except ValueError as err:
        raise ProviderError("failed to decode ca_cert_pem", str(err), path=["ca_cert_pem"]) from err
    ca_key = _load_private_key(planned.get("ca_private_key_pem") or "", "ca_private_key_pem")
    try:
        san = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = list(san)
    except x509.ExtensionNotFound:
        names = []
    result = _build_certificate(
        planned, csr.subject, csr.public_key(), ca_cert.subject, ca_key, names
    )
    return {**result, "ca_key_algorithm": _algorithm_name(ca_key)}
