#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/corpus/<target>/ (small, human-readable
inputs drawn from what the SDKs send and from the edge cases of each
parser). Re-run after editing; files are named by content, so re-running is
idempotent. Multi-field inputs separate fields with the byte 0x01."""
import hashlib
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
SEP = b"\x01"

def b(x):
    return x if isinstance(x, bytes) else x.encode("utf-8")

def fields(*xs):
    return SEP.join(b(x) for x in xs)

SEEDS = {
    "url_decode": [
        "Action=ListRegions&Version=2020-06-01&Format=JSON",
        "RegionId=cn-hangzhou&ImageIds=%5B%22m-1%22%2C%22m-2%22%5D",
        "a=1&&b=2&",
        "flag&x=",
        "name=x%20y+z&Tag.1.Key=k&Tag.1.Value=v",
        "a=%E4%BD%A0%E5%A5%BD",
        "a=%ZZ",
        "a=%C3%28",
        "a=1&a=2",
        "=novalue",
        "%00=1",
        "a%3D1%26b=2",
        "Signature=abc%2Bdef%3D&SignatureNonce=3f2",
        "k=" + "v" * 300,
        "&".join("p%d=%d" % (i, i) for i in range(70)),
    ],
    "v3_authorization": [
        "ACS3-HMAC-SHA256 Credential=LTAI5tAbc,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=" + "a" * 64,
        "  ACS3-HMAC-SHA256   Signature=" + "ABCDEF0123" * 6 + "abcd , Credential=ak ,SignedHeaders=x-acs-date;host  ",
        "ACS3-HMAC-SM3 Credential=a,SignedHeaders=host,Signature=" + "0" * 64,
        "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=" + "0" * 64 + ",",
        "ACS3-HMAC-SHA256 Credential=a,Credential=b,SignedHeaders=host,Signature=" + "0" * 64,
        "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=Host;host,Signature=" + "0" * 63,
        "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=,Signature=" + "0" * 64,
        "Credential=a,SignedHeaders=host,Signature=" + "0" * 64,
        "ACS3-HMAC-SHA256 Credential=a\x7f,SignedHeaders=host,Signature=" + "0" * 64,
        "",
    ],
    "v3_canonical": [
        fields("POST", "/", "ImageId=m-1&RegionId=cn-hangzhou",
               "host:127.0.0.1:8080\nx-acs-action:ModifyImageShareStatus\nx-acs-version:2020-06-01\n"
               "x-acs-date:2024-01-01T00:00:00Z\nx-acs-signature-nonce:abc\n"
               "x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
               "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        fields("GET", "/", "", "Host:  a  \nhost:b\nX-Acs-Date:1", "UNSIGNED-PAYLOAD"),
        fields("POST", "/", "a=%E4%BD%A0&b=x+y&c", "x-acs-a:1\nx-acs-a:0", ""),
        fields("PUT", "/x/y", "Tag.1.Key=k&Tag.1.Value=", "host:h", "h"),
    ],
    "v1_string_to_sign": [
        fields("GET", "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1"
               "&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0"
               "&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26"),
        fields("POST", "Action=ModifyImageShareStatus&ImageId=m-1&Operation=Share&Signature=xyz"),
        fields("GET", "name=%E4%BD%A0+%2A~&b=&c"),
        fields("", ""),
    ],
    "json_string_array": [
        b"\x05" + b'["m-1","m-2"]',
        b"\x05" + b"m-1, m-2 ,m-3",
        b"\x02" + b'["a","b","c"]',
        b"\x05" + b'  [ "a\\u00e9" , "\\ud83d\\ude00" ] ',
        b"\x05" + b'["a",1]',
        b"\x05" + b'[["a"]]',
        b"\x05" + b'["a"] x',
        b"\x05" + b"a,,b",
        b"\x05" + b"   ",
        b"\x05" + b'[]',
        b"\x05" + b'["\xff"]',
        b"\x13" + b'[' + b",".join(b'"x%d"' % i for i in range(25)) + b']',
    ],
    "envelope": [
        b"\x00" + b'{"ImageId":"m-1"}',
        b"\x00" + b'{"Regions":[{"RegionId":"cn-hangzhou","LocalName":"\xe5\x8d\x8e\xe4\xb8\x9c1"}],"TotalCount":1}',
        b"\x00" + b'{"CustomImages":[],"InShare":true,"UserId":1234567890123456,"Ratio":0.5,"None":null}',
        b"\x00" + b'{"Text":"<a href=\\"x\\">&amp;\'</a>]]>\\u0001\\t\\n"}',
        b"\x00" + b'{"RequestId":"dup","A":{"B":{"C":[1,[2,3],{"D":"e"}]}}}',
        b"\x00" + b'{"Emoji":"\xf0\x9f\x98\x80","Nonchar":"\xef\xbf\xbe"}',
        b"\x00" + fields("Key", "value", "Other", "x<y&z"),
        b"\x01" + b"Specified parameter Version \"2020-06-01\" is not valid.",
        b"\x01" + b"bad \xff\xfe bytes \x00 and \x1b[31m",
        b"\x03" + b"AccessDenied <detail>",
    ],
    "ram_policy": [
        b"\x00" + fields('{"Version":"1","Statement":[{"Effect":"Allow","Action":"swas-open:*","Resource":"*"}]}',
                         "swas-open:ModifyImageShareStatus",
                         "acs:swas-open:cn-hangzhou:1234567890123456:customimage/m-1", ""),
        b"\x00" + fields('{"Version":"1","Statement":[{"Effect":"Deny","NotAction":["ecs:Describe*"],'
                         '"NotResource":"acs:ecs:*:*:instance/i-*","Condition":{"NotIpAddress":'
                         '{"acs:SourceIp":["10.0.0.0/8","192.168.1.1"]}}}]}',
                         "ecs:DeleteInstance", "acs:ecs:cn-hangzhou:1:instance/i-1",
                         "acs:SourceIp=127.0.0.1\nacs:CurrentTime=2026-01-01T00:00:00Z"),
        b"\x00" + fields('{"Version":"1","Statement":{"Effect":"Allow","Action":"*","Resource":"*",'
                         '"Condition":{"DateLessThan":{"acs:CurrentTime":"2030-01-01T00:00:00Z"},'
                         '"Bool":{"acs:SecureTransport":"false"},"NumericGreaterThan":{"x:n":10},'
                         '"StringLike":{"acs:AccessId":"LTAI*?"}}}}',
                         "swas-open:ListRegions", "*",
                         "acs:CurrentTime=2026-01-01T00:00:00Z\nacs:SecureTransport=false\nx:n=11\nacs:AccessId=LTAIab"),
        b"\x01" + fields('{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",'
                         '"Principal":{"RAM":["acs:ram::1234567890123456:root"],"Service":"ecs.aliyuncs.com"}}]}',
                         "1234567890123456", "acs:ram::1234567890123456:user/alice", ""),
        b"\x00" + b'{"Version":"1","Statement":[{"Effect":"Allow","Action":"a","Action":"b","Resource":"*"}]}',
        b"\x00" + b'{"Version":"1","Statement":[{"Effect":"Allow","Action":"a","Resource":"*","Condtion":{}}]}',
        b"\x00" + b'[[[[[[[[[[[[]]]]]]]]]]]]',
        b"\x00" + b'{"Version":"1","Statement":[]}',
    ],
}

def main():
    for target, seeds in SEEDS.items():
        d = os.path.join(ROOT, target)
        os.makedirs(d, exist_ok=True)
        for s in seeds:
            data = b(s)
            name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
    print("seeds written under", ROOT)

if __name__ == "__main__":
    main()
