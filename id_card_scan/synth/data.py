"""Invented card holders: names, addresses, dates and ID numbers that follow the real rules.

Administrative names are real units as printed before the July 2025 merger (province ->
district -> ward); the people are random combinations and do not exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from id_card_scan.synth.rng import choice

SURNAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
    "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Mai", "Trương", "Lương", "Tạ",
    "Đoàn", "Lâm", "Quách", "Cao", "Tô", "Hà", "Châu", "Thái",
)  # fmt: skip
# Nguyễn alone is about 38% of the population; repeating it keeps the draw realistic.
_SURNAME_POOL = ("Nguyễn",) * 10 + ("Trần", "Lê", "Phạm") * 3 + SURNAMES

MIDDLE_MALE = (
    "Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Công", "Xuân", "Anh", "Quốc", "Gia",
    "Trọng", "Thế", "Hoàng", "Bảo", "Ngọc", "Tấn", "Duy",
)  # fmt: skip
MIDDLE_FEMALE = (
    "Thị", "Ngọc", "Thanh", "Thu", "Minh", "Kim", "Bảo", "Mỹ", "Phương", "Thùy", "Hồng",
    "Diệu", "Khánh", "Quỳnh", "Tuyết", "Hoài",
)  # fmt: skip
# Together these carry every tone mark (sắc, huyền, hỏi, ngã, nặng) on a, ă, â, e, ê, i, o,
# ô, ơ, u, ư and y, which is what a recognizer needs to see.
GIVEN_MALE = (
    "Dũng", "Tuấn", "Hưng", "Khánh", "Trường", "Hùng", "Cường", "Thắng", "Phúc", "Lộc",
    "Nam", "Sơn", "Quân", "Vĩnh", "Thịnh", "Đạt", "Nghĩa", "Hiếu", "Kiên", "Tùng", "Tiến",
    "Huy", "Thọ", "Lực", "Quý", "Mạnh", "Tuệ", "Vũ", "Khải", "Nhật", "Trí", "Hải", "Lĩnh",
    "Hỷ", "Luỹ", "Ngữ", "Dự", "Kỳ", "Thuận", "Toản", "Khoa",
)  # fmt: skip
GIVEN_FEMALE = (
    "Hằng", "Phượng", "Quỳnh", "Nguyệt", "Thủy", "Hương", "Lan", "Mai", "Ngọc", "Trang",
    "Nhung", "Thảo", "Hạnh", "Huyền", "Yến", "Loan", "Duyên", "Diệp", "Liễu", "Tuyết",
    "Oanh", "Thư", "Vy", "Nhi", "Hiền", "Dịu", "Thắm", "Ngân", "Trâm", "Giang", "Khuê",
    "Ánh", "Hoa", "Mỹ", "Hỷ", "Nữ", "Ỷ Lan", "Quyên",
)  # fmt: skip

# Province codes of the 12-digit personal ID (Thông tư 07/2016), with the name as it is
# printed at the end of an address. Every code starts with 0, which exercises leading zeros.
PROVINCES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "TP. Hồ Chí Minh", "080": "Long An",
    "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long",
    "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
    "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip
# Centrally governed cities are printed without "Tỉnh"; the others may carry it.
_CITIES = frozenset({"001", "031", "048", "079", "092"})

# (ward, district, province code): real units that existed together before July 2025.
WARDS: tuple[tuple[str, str, str], ...] = (
    ("Phường Tràng Tiền", "Quận Hoàn Kiếm", "001"),
    ("Phường Hàng Bạc", "Quận Hoàn Kiếm", "001"),
    ("Phường Điện Biên", "Quận Ba Đình", "001"),
    ("Phường Dịch Vọng", "Quận Cầu Giấy", "001"),
    ("Phường Khương Trung", "Quận Thanh Xuân", "001"),
    ("Phường Văn Miếu", "Quận Đống Đa", "001"),
    ("Xã Bát Tràng", "Huyện Gia Lâm", "001"),
    ("Xã Cổ Loa", "Huyện Đông Anh", "001"),
    ("Thị trấn Đông Anh", "Huyện Đông Anh", "001"),
    ("Phường Bến Nghé", "Quận 1", "079"),
    ("Phường Bến Thành", "Quận 1", "079"),
    ("Phường Võ Thị Sáu", "Quận 3", "079"),
    ("Phường Thảo Điền", "Thành phố Thủ Đức", "079"),
    ("Phường 12", "Quận Tân Bình", "079"),
    ("Xã Tân Thông Hội", "Huyện Củ Chi", "079"),
    ("Xã Hòa Phước", "Huyện Hòa Vang", "048"),
    ("Phường Thạch Thang", "Quận Hải Châu", "048"),
    ("Phường An Hải Bắc", "Quận Sơn Trà", "048"),
    ("Phường Máy Tơ", "Quận Ngô Quyền", "031"),
    ("Phường Tân An", "Quận Ninh Kiều", "092"),
    ("Xã Mỹ Khánh", "Huyện Phong Điền", "092"),
    ("Thị trấn Phong Điền", "Huyện Phong Điền", "092"),
    ("Phường Phú Hội", "Thành phố Huế", "046"),
    ("Phường Hưng Bình", "Thành phố Vinh", "040"),
    ("Phường Điện Biên", "Thành phố Thanh Hóa", "038"),
    ("Phường Trần Hưng Đạo", "Thành phố Nam Định", "036"),
    ("Phường Bạch Đằng", "Thành phố Hạ Long", "022"),
    ("Phường Lộc Thọ", "Thành phố Nha Trang", "056"),
    ("Phường 1", "Thành phố Đà Lạt", "068"),
    ("Phường Phú Cường", "Thành phố Thủ Dầu Một", "074"),
    ("Phường Trung Dũng", "Thành phố Biên Hòa", "075"),
    ("Phường Mỹ Bình", "Thành phố Long Xuyên", "089"),
    ("Phường Minh An", "Thành phố Hội An", "049"),
    ("Xã Cẩm Thanh", "Thành phố Hội An", "049"),
    ("Xã Điện Quang", "Thị xã Điện Bàn", "049"),
    ("Phường Lê Hồng Phong", "Thành phố Thái Bình", "034"),
    ("Phường Vũ Ninh", "Thành phố Bắc Ninh", "027"),
    ("Phường Đồng Phú", "Thành phố Đồng Hới", "044"),
    ("Phường Lê Lợi", "Thành phố Quy Nhơn", "052"),
    ("Phường Vĩnh Thanh Vân", "Thành phố Rạch Giá", "091"),
    ("Phường 5", "Thành phố Cà Mau", "096"),
)

STREETS = (
    "Lê Lợi", "Trần Hưng Đạo", "Nguyễn Huệ", "Hai Bà Trưng", "Lý Thường Kiệt",
    "Phan Đình Phùng", "Điện Biên Phủ", "Võ Văn Tần", "Nguyễn Thị Minh Khai", "Hoàng Diệu",
    "Quang Trung", "Bạch Đằng", "Lê Duẩn", "Hùng Vương", "Nguyễn Trãi",
    "Cách Mạng Tháng Tám", "Phạm Ngũ Lão", "Đinh Tiên Hoàng", "Trưng Nữ Vương", "Ỷ Lan",
)  # fmt: skip
HAMLETS = (
    "Phú Mỹ", "Đông Hòa", "Tân Lập", "Bình An", "Mỹ Lộc", "Phước Thạnh", "Thượng Đồng",
    "Hạ Vũ", "Xuân Đỉnh", "Kỳ Lân", "Gò Nổi", "Bãi Sậy",
)  # fmt: skip

NATIONALITY = "Việt Nam"
NO_EXPIRY = "Không thời hạn"

# Kinh are about 85% of the population; the others are among the largest groups, spelt as
# cards print them.
_ETHNICITY_POOL = ("Kinh",) * 17 + (
    "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "H'Mông", "Dao", "Gia Rai", "Ê Đê",
    "Ba Na", "Chăm", "Sán Dìu", "Xơ Đăng",
)  # fmt: skip
# Most cards read "Không" (none).
_RELIGION_POOL = ("Không",) * 12 + (
    "Phật giáo", "Công giáo", "Tin lành", "Cao Đài", "Phật giáo Hòa Hảo",
)  # fmt: skip
# Distinguishing marks are written as: mark, distance, where (above/below, before/behind)
# a feature of the face, and which side.
_MARKS = ("Nốt ruồi", "Nốt ruồi", "Sẹo chấm", "Sẹo", "Nốt ruồi son")
_FEATURES = (
    "đuôi mắt", "đầu mày", "đuôi lông mày", "cánh mũi", "mép", "vành tai", "gò má",
    "đầu mắt", "môi",
)  # fmt: skip


@dataclass(frozen=True)
class Person:
    """An invented card holder; ``full_name`` is in capitals as printed on the card."""

    full_name: str
    name_as_written: str  # mixed case, as in the chip card's QR payload
    male: bool
    birth: dt.date
    id_number: str  # 12 digits
    cmnd_number: str  # 9 digits of the older card, or "" when the holder never had one
    issue: dt.date
    place_of_origin: str
    place_of_residence: str
    expiry: dt.date | None  # None: "Không thời hạn"
    residence_province: str = "001"  # code of the residence's province, which issued the CMND
    ethnicity: str = "Kinh"
    religion: str = "Không"
    personal_identification: str = ""  # a distinguishing mark, as the back prints it

    @property
    def sex(self) -> str:
        return "Nam" if self.male else "Nữ"

    @property
    def date_of_expiry(self) -> str:
        return NO_EXPIRY if self.expiry is None else format_date(self.expiry)


def format_date(day: dt.date) -> str:
    """DD/MM/YYYY, as every field of these cards prints a date."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def id_number(province_code: str, male: bool, birth_year: int, rng: np.random.Generator) -> str:
    """A 12-digit personal ID: province code, sex/century digit, year, six random digits."""
    century_index = birth_year // 100 - 19  # 1900s -> 0, 2000s -> 1, ...
    if not 0 <= century_index <= 4:
        raise ValueError(f"no sex/century digit for the year {birth_year}")
    sex_digit = 2 * century_index + (0 if male else 1)
    serial = int(rng.integers(0, 1_000_000))
    return f"{province_code}{sex_digit}{birth_year % 100:02d}{serial:06d}"


def _expiry(
    birth: dt.date, issue: dt.date, milestones: tuple[int, ...] = (25, 40, 60)
) -> dt.date | None:
    # Luật Căn cước công dân 2014, art. 21: renew at 25, 40 and 60 (Luật Căn cước 2023 adds
    # 14); a card issued within two years before one of those ages lasts until the next one.
    age = age_on(birth, issue)
    for milestone in milestones:
        if age < milestone - 2:
            return birth.replace(year=birth.year + milestone)
    return None


def _random_date(rng: np.random.Generator, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=int(rng.integers(0, (last - first).days + 1)))


def _province_label(code: str, rng: np.random.Generator) -> str:
    name = PROVINCES[code]
    if code in _CITIES or rng.random() < 0.5:
        return name
    return f"Tỉnh {name}"


def _locality(rng: np.random.Generator, ward: str) -> str:
    if ward.startswith("Xã"):
        kind = choice(rng, ("Thôn", "Xóm", "Ấp", "Tổ"))
        if kind == "Thôn" or kind == "Ấp":
            return f"{kind} {choice(rng, HAMLETS)}"
        return f"{kind} {int(rng.integers(1, 16))}"
    number = int(rng.integers(1, 400))
    style = int(rng.integers(4))
    if style == 0:
        return f"Số {number} {choice(rng, STREETS)}"
    if style == 1:
        return f"{number}/{int(rng.integers(1, 60))} {choice(rng, STREETS)}"
    if style == 2:
        return f"Tổ {int(rng.integers(1, 40))}"
    return f"Khu phố {int(rng.integers(1, 12))}"


def address(rng: np.random.Generator, *, with_locality: bool) -> tuple[str, str]:
    """A printed address and its province code."""
    ward, district, code = choice(rng, WARDS)
    parts = [ward, district, _province_label(code, rng)]
    if with_locality:
        parts.insert(0, _locality(rng, ward))
    return ", ".join(parts), code


def _name(rng: np.random.Generator, male: bool, surname: str | None = None) -> str:
    middles = MIDDLE_MALE if male else MIDDLE_FEMALE
    parts = [surname or choice(rng, _SURNAME_POOL), choice(rng, middles)]
    if rng.random() < 0.25:
        second = choice(rng, middles)
        if second != parts[1]:
            parts.append(second)
    parts.append(choice(rng, GIVEN_MALE if male else GIVEN_FEMALE))
    return " ".join(parts)


@dataclass(frozen=True)
class IssueRules:
    """When a card kind was issued and to whom; the dates drive the ID and expiry."""

    first_issue: dt.date
    last_issue: dt.date
    min_age: int
    oldest_birth_year: int = 1935
    # Ages at which the card must be renewed: its expiry is the next one.
    renewal_ages: tuple[int, ...] = (25, 40, 60)


def person(rng: np.random.Generator, rules: IssueRules) -> Person:
    """Draw a holder consistent with ``rules``: age at issue, ID digits, expiry."""
    male = bool(rng.random() < 0.5)
    issue = _random_date(rng, rules.first_issue, rules.last_issue)
    youngest = dt.date(issue.year - rules.min_age, issue.month, 1)
    # Day 1-28 keeps every anniversary (expiry at 25/40/60) a valid date.
    birth = _random_date(rng, dt.date(rules.oldest_birth_year, 1, 1), youngest)
    birth = birth.replace(day=min(birth.day, 28))
    origin, origin_code = address(rng, with_locality=False)
    residence, residence_code = address(rng, with_locality=True)
    name = _name(rng, male)
    # The 9-digit number's first two digits were a province prefix; its rules are not in
    # the reference, so it is only plausible-looking.
    cmnd = f"{int(rng.integers(1, 39)):02d}{int(rng.integers(0, 10_000_000)):07d}"
    return Person(
        full_name=name.upper(),
        name_as_written=name,
        male=male,
        birth=birth,
        id_number=id_number(origin_code, male, birth.year, rng),
        cmnd_number=cmnd if rng.random() < 0.6 else "",
        issue=issue,
        place_of_origin=origin,
        place_of_residence=residence,
        expiry=_expiry(birth, issue, rules.renewal_ages),
        # Drawn last, so that adding them left every earlier draw (and card) as it was.
        residence_province=residence_code,
        ethnicity=choice(rng, _ETHNICITY_POOL),
        religion=choice(rng, _RELIGION_POOL),
        personal_identification=_distinguishing_mark(rng),
    )


def _distinguishing_mark(rng: np.random.Generator) -> str:
    distance = choice(rng, ("1", "1,5", "2", "2,5", "3", "0,5"))
    where = f"{choice(rng, ('trên', 'dưới'))} {choice(rng, ('trước', 'sau'))}"
    side = choice(rng, ("trái", "phải"))
    spacing = choice(rng, ("C:", "C: ", "cách "))
    return f"{choice(rng, _MARKS)} {spacing}{distance}cm {where} {choice(rng, _FEATURES)} {side}"


def issuing_police(code: str) -> str:
    """The provincial police that issued a CMND, as its back prints it (``CA TỈNH NGHỆ AN``)."""
    name = PROVINCES[code]
    if code in _CITIES:
        return f"CA {name if name.startswith('TP.') else 'TP. ' + name}".upper()
    return f"CA TỈNH {name}".upper()


def parent_names(rng: np.random.Generator, person: Person) -> tuple[str, str]:
    """Invented father's and mother's names (mixed case); the child has the father's surname."""
    surname = person.name_as_written.split(" ")[0]
    return _name(rng, True, surname), _name(rng, False)


def signer_name(rng: np.random.Generator) -> str:
    """An invented official's name for the signature block (never a real one)."""
    return _name(rng, bool(rng.random() < 0.8))


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
