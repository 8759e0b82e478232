@allure.label.epic:Sharing
Feature: Password-protected share links
  A link can ask for a password, which the guest receives separately from the link. Until the
  password is entered, the link shows nothing of the cut. Guessing is cut short: after 5 wrong
  passwords within 15 minutes the link refuses every password, the right one too, until that
  quarter of an hour is over. The portal keeps the password only as a slow hash.

  Background:
    Given Brightside Agency has the cut "Harbour Lights", version 3
    And Theo has shared the cut with Gina, protected by the password "tide-and-lantern-7"

  Rule: A protected link shows the cut only after the right password

    @allure.severity:critical
    Scenario: Gina enters the password and watches the cut
      When Gina opens the share link and enters the password "tide-and-lantern-7"
      Then Gina sees "Harbour Lights", version 3, ready to play
      And Gina's browser stays let in for 12 hours, on this link only

    Scenario: Without the password the link shows nothing but a password field
      When Gina opens the share link
      Then Gina is asked for the link's password
      And nothing in the answer shows the cut

    @negative @security
    Scenario Outline: Without the password Gina's browser cannot go around the page: <request>
      When Gina <request>
      Then Gina is asked for the link's password
      And nothing in the answer shows the cut

      Examples:
        | request                   |
        | starts the video          |
        | loads the cut's thumbnail |
        | downloads the cut         |

    @negative
    Scenario: A wrong password is refused
      When Gina opens the share link and enters the password "tide-and-lantern-8"
      Then Gina is told the password is wrong
      And nothing in the answer shows the cut

    @negative
    Scenario: A revoked protected link is refused, password or not
      Given Theo has revoked the link
      When Gina opens the share link and enters the password "tide-and-lantern-7"
      Then Gina is told the link is not available
      And nothing in the answer shows the cut

    @negative @security
    Scenario: A password form that another site's page posts opens nothing
      When a page on another site makes Gina's browser enter the password "tide-and-lantern-7", saying so in both ways
      Then the portal refuses the form as one posted from another site
      And Gina's browser is still asked for the link's password

    Scenario: The password form posted from the portal's own page lets the browser in
      When Gina enters the password "tide-and-lantern-7" on the portal's own page, as a current browser says it
      Then Gina's browser is let in to the cut

  Rule: A link's password is at most 128 characters

    Scenario: A password of 128 characters protects the link, and opens it
      Given Theo has shared the cut with Gina, protected by a password of 128 characters
      When Gina opens the share link and enters that password
      Then Gina sees "Harbour Lights", version 3, ready to play

    @negative
    Scenario: A password of 129 characters is refused
      When Theo tries to share the cut again, protected by a password of 129 characters
      Then the portal refuses it, naming the field "password"

  Rule: 5 wrong passwords within 15 minutes lock the link, the right password included, until that quarter of an hour is over

    @negative @security @allure.severity:critical
    Scenario: After 5 wrong passwords within 15 minutes even the right one is refused
      Given Mallory has tried 5 wrong passwords on the link in the last 15 minutes
      When Gina opens the share link and enters the password "tide-and-lantern-7"
      Then Gina is told to try again in 15 minutes
      And nothing in the answer shows the cut

    @negative
    Scenario: With the 5 wrong passwords 14 minutes ago, the link opens again within a minute
      Given Mallory tried 5 wrong passwords on the link 14 minutes ago
      When Gina opens the share link and enters the password "tide-and-lantern-7"
      Then Gina is told to try again in 1 minute

    Scenario: 4 wrong passwords do not lock the link
      Given Mallory has tried 4 wrong passwords on the link in the last 15 minutes
      When Gina opens the share link and enters the password "tide-and-lantern-7"
      Then Gina sees "Harbour Lights", version 3, ready to play

    Scenario: Once the 15 minutes are over, the right password works again
      Given Mallory tried 5 wrong passwords on the link 16 minutes ago
      When Gina opens the share link and enters the password "tide-and-lantern-7"
      Then Gina sees "Harbour Lights", version 3, ready to play

  Rule: The portal keeps a link's password only as a slow hash

    @security
    Scenario: The portal keeps a link's password only as a slow argon2 hash
      When Theo shares the cut again, protected by the password "north-quay-blue-4"
      Then the portal keeps that password only as an argon2 hash
      But the password itself is kept nowhere in the portal

  Rule: A password kept at an earlier hashing cost still opens the link after the cost changes

    Scenario: A link protected before the hashing cost changed opens with its password, and its hash stays as it was
      Given the link's password was kept at another hashing cost than the portal's today
      When Gina opens the share link and enters the password "tide-and-lantern-7"
      Then Gina sees "Harbour Lights", version 3, ready to play
      And the portal still keeps the link's password as it was hashed then

    @negative
    Scenario: A link protected before the hashing cost changed still refuses a wrong password
      Given the link's password was kept at another hashing cost than the portal's today
      When Gina opens the share link and enters the password "tide-and-lantern-8"
      Then Gina is told the password is wrong
      And nothing in the answer shows the cut
